package io.rill.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.LogConfig;
import io.rill.metadata.config.BrokerDynamicConfigs;
import io.rill.metadata.config.ConfigSource;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EffectiveBrokerConfigTest {
  private static final BrokerConfig FILE = BrokerConfig.of(Map.of("log.retention.hours", "48"));

  @Test
  void everyBrokerKeyIsEitherDynamicOrReadOnlyInTheControllersTable() {
    // The controller cannot see BrokerConfigDef; its two lists must cover it exactly.
    Set<String> both = new HashSet<>(BrokerDynamicConfigs.all().keySet());
    both.addAll(BrokerDynamicConfigs.readOnly());
    assertThat(both).containsExactlyInAnyOrderElementsOf(BrokerConfigDef.DEF.keys().keySet());
  }

  @Test
  void kafkasDefaultsOfDynamicKeysAreTheBrokersDefaults() {
    BrokerDynamicConfigs.all().values().forEach(k -> assertThat(k.defaultValue())
        .as(k.name()).isEqualTo(java.util.Optional.ofNullable(EffectiveBrokerConfig.format(
            BrokerConfigDef.DEF.keys().get(k.name()).defaultValue()))));
  }

  @Test
  void perBrokerBeatsClusterDefaultBeatsTheFileBeatsKafkasDefault() {
    EffectiveBrokerConfig none = EffectiveBrokerConfig.of(FILE, Map.of(), Map.of());
    assertThat(none.config().logRetentionMs()).isEqualTo(48 * 3_600_000L);

    EffectiveBrokerConfig cluster = EffectiveBrokerConfig.of(FILE,
        Map.of("log.retention.hours", "2", "min.insync.replicas", "2"), Map.of());
    assertThat(cluster.topicDefaults()).containsEntry("retention.ms", "7200000")
        .containsEntry("min.insync.replicas", "2");

    EffectiveBrokerConfig own = EffectiveBrokerConfig.of(FILE,
        Map.of("log.retention.hours", "2"), Map.of("log.retention.hours", "3"));
    assertThat(own.topicDefaults()).containsEntry("retention.ms", "10800000");
    assertThat(own.levels().get(0).source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
  }

  @Test
  void levelsAreMergedKeyByKeySoMillisecondsBeatHoursAcrossLevels() {
    // Kafka's rule: the merged config is parsed once, and log.retention.ms beats hours.
    BrokerConfig file = BrokerConfig.of(Map.of("log.retention.ms", "1000"));
    EffectiveBrokerConfig c = EffectiveBrokerConfig.of(file,
        Map.of("log.retention.hours", "5"), Map.of());
    assertThat(c.config().logRetentionMs()).isEqualTo(1000L);
  }

  @Test
  void storedValuesABrokerCannotUseAreIgnoredNotFatal() {
    EffectiveBrokerConfig c = EffectiveBrokerConfig.of(FILE,
        Map.of("num.io.threads", "2", "log.retention.hours", "soon", "bogus", "1"),
        Map.of("log.segment.bytes", "2000000"));
    assertThat(c.clusterDefaults()).isEmpty();
    assertThat(c.perBroker()).containsOnlyKeys("log.segment.bytes");
    assertThat(c.config().getInt("num.io.threads")).isEqualTo(8);
    assertThat(c.topicDefaults()).containsEntry("segment.bytes", "2000000");
  }

  @Test
  void everyValueTheControllerAcceptsMakesAValidLogConfig() {
    // The smallest and largest values the table accepts must not break a log on any broker.
    Map<String, String> extremes = Map.ofEntries(
        Map.entry("log.segment.bytes", "1048576"), Map.entry("log.roll.ms", "1"),
        Map.entry("log.retention.minutes", "-1"), Map.entry("log.retention.bytes", "-1"),
        Map.entry("log.index.interval.bytes", "0"), Map.entry("log.index.size.max.bytes", "12"),
        Map.entry("log.flush.interval.messages", "1"), Map.entry("log.flush.interval.ms", "0"),
        Map.entry("log.cleanup.policy", "compact"), Map.entry("message.max.bytes", "1"),
        Map.entry("log.message.timestamp.type", "LogAppendTime"));
    extremes.forEach((k, v) -> assertThat(BrokerDynamicConfigs.validate(k, v)).as(k).isEmpty());
    EffectiveBrokerConfig c = EffectiveBrokerConfig.of(FILE, extremes, Map.of());
    assertThat(c.clusterDefaults()).isEqualTo(extremes);
    LogConfig log = LogConfig.of(c.topicDefaults());
    assertThat(log.segmentIndexBytes()).isEqualTo(12);
    assertThat(log.retentionMs()).isEqualTo(-1L);
  }

  @Test
  void theCachedSnapshotIsRebuiltOnlyWhenTheBrokersDynamicConfigsChange() {
    BrokerConfig file = BrokerConfig.of(Map.of("node.id", "1"));
    DynamicBrokerConfig dynamic = new DynamicBrokerConfig(file);
    MetadataImage empty = MetadataImage.EMPTY;
    EffectiveBrokerConfig first = dynamic.at(empty);
    assertThat(dynamic.at(empty)).isSameAs(first);
    assertThat(dynamic.dependsOn(ConfigResource.broker(""))).isTrue();
    assertThat(dynamic.dependsOn(ConfigResource.broker("1"))).isTrue();
    assertThat(dynamic.dependsOn(ConfigResource.broker("2"))).isFalse();
    assertThat(dynamic.dependsOn(ConfigResource.topic("1"))).isFalse();
  }
}
