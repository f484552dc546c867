package io.rill.metadata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BrokerDynamicConfigsTest {
  /** The broker keys that set a topic config's default only through a ms/minutes/hours family. */
  private static final List<String> FAMILY_ONLY =
      List.of("log.retention.minutes", "log.retention.hours", "log.roll.hours");
  /**
   * Dynamic broker keys a broker reads itself, not as any topic's default (KIP-73 rates, the
   * log cleaner's own settings).
   */
  private static final List<String> BROKER_ONLY =
      List.of("leader.replication.throttled.rate", "follower.replication.throttled.rate",
          "log.cleaner.threads", "log.cleaner.dedupe.buffer.size",
          "log.cleaner.io.max.bytes.per.second", "log.cleaner.backoff.ms");

  @Test
  void theDynamicKeysAreTheLogDefaultsAndBrokerDefaultsOfTopicConfigs() {
    assertThat(BrokerDynamicConfigs.all().keySet()).containsExactlyInAnyOrder(
        "log.segment.bytes", "log.roll.ms", "log.roll.hours", "log.retention.ms",
        "log.retention.minutes", "log.retention.hours", "log.retention.bytes",
        "log.index.interval.bytes", "log.index.size.max.bytes", "log.flush.interval.messages",
        "log.flush.interval.ms", "log.cleanup.policy", "log.message.timestamp.type",
        "message.max.bytes", "compression.type", "min.insync.replicas",
        "unclean.leader.election.enable", "log.cleaner.delete.retention.ms",
        "log.cleaner.min.cleanable.ratio", "log.cleaner.min.compaction.lag.ms",
        "log.cleaner.max.compaction.lag.ms", "leader.replication.throttled.rate",
        "follower.replication.throttled.rate", "log.cleaner.threads",
        "log.cleaner.dedupe.buffer.size", "log.cleaner.io.max.bytes.per.second",
        "log.cleaner.backoff.ms");
    Map<String, String> topicBySynonym = TopicConfigs.all().values().stream()
        .filter(d -> d.serverDefaultProperty().isPresent())
        .collect(Collectors.toMap(d -> d.serverDefaultProperty().get(), ConfigDef::name));
    for (String key : BrokerDynamicConfigs.all().keySet()) {
      assertThat(topicBySynonym.containsKey(key) || FAMILY_ONLY.contains(key)
          || BROKER_ONLY.contains(key))
          .as("%s supplies a topic config's default, so the broker can apply it live", key)
          .isTrue();
    }
    assertThat(BrokerDynamicConfigs.readOnly())
        .doesNotContainAnyElementsOf(BrokerDynamicConfigs.all().keySet());
  }

  @Test
  void aValueTheBrokerKeyAcceptsIsOneItsTopicConfigAccepts() {
    // The controller validates a broker default once; every topic without an override then
    // takes it, so it must be a valid value of the topic config it stands for.
    List<String> samples = List.of("-2", "-1", "0", "1", "4", "12", "14", "61", "1048575",
        "1048576", "1048588", "9223372036854775807", "true", "false", "x", "", "delete",
        "compact", "compact,delete", "CreateTime", "LogAppendTime", "producer", "none", "zstd");
    for (ConfigDef topic : TopicConfigs.all().values()) {
      Optional<BrokerDynamicConfigs.Key> broker =
          topic.serverDefaultProperty().flatMap(BrokerDynamicConfigs::find);
      if (broker.isEmpty()) {
        continue;
      }
      for (String v : samples) {
        if (broker.get().validate(v).isEmpty()) {
          assertThat(topic.validate(v)).as("%s=%s is accepted, so %s=%s must be",
              broker.get().name(), v, topic.name(), v).isEmpty();
        }
      }
    }
  }

  @Test
  void refusalsNameTheKeyInKafkasWords() {
    assertThat(BrokerDynamicConfigs.validate("log.retention.ms", "-1")).isEmpty();
    assertThat(BrokerDynamicConfigs.validate("log.retention.hours", "-2")).hasValueSatisfying(
        m -> assertThat(m).startsWith("Invalid value -2 for configuration log.retention.hours"));
    assertThat(BrokerDynamicConfigs.validate("unclean.leader.election.enable", "yes"))
        .hasValueSatisfying(m -> assertThat(m).contains("unclean.leader.election.enable"));
    assertThat(BrokerDynamicConfigs.validate("log.cleanup.policy", "compact, delete")).isEmpty();
    assertThat(BrokerDynamicConfigs.validate("log.cleanup.policy", "")).isPresent();
    assertThat(BrokerDynamicConfigs.validate("log.cleaner.threads", "2")).isEmpty();
    assertThat(BrokerDynamicConfigs.validate("log.cleaner.threads", "0")).hasValueSatisfying(
        m -> assertThat(m).contains("log.cleaner.threads").contains("[1, 64]"));
    assertThat(BrokerDynamicConfigs.validate("log.cleaner.io.max.bytes.per.second", "0"))
        .isPresent();
    assertThat(BrokerDynamicConfigs.validate("log.cleaner.enable", "false")).hasValueSatisfying(
        m -> assertThat(m).startsWith("Cannot update these configs dynamically"));
    assertThat(BrokerDynamicConfigs.validate("num.network.threads", "4")).hasValueSatisfying(
        m -> assertThat(m).startsWith("Cannot update these configs dynamically: "
            + "num.network.threads"));
    assertThat(BrokerDynamicConfigs.validate("ssl.keystore.location", "/x"))
        .hasValue("Unknown broker config name: ssl.keystore.location");
  }

  @Test
  void keysWithoutKafkaDefaultHaveNone() {
    assertThat(BrokerDynamicConfigs.find("log.retention.ms").orElseThrow().defaultValue())
        .isEmpty();
    assertThat(BrokerDynamicConfigs.find("log.retention.hours").orElseThrow().defaultValue())
        .hasValue("168");
  }
}
