package io.rill.metadata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {
  @Test
  void theTableHasKafkasTopicConfigsWithValidDefaults() {
    assertThat(TopicConfigs.all()).containsKeys("cleanup.policy", "compression.type",
        "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "segment.index.bytes",
        "index.interval.bytes", "max.message.bytes", "min.insync.replicas",
        "message.timestamp.type", "flush.messages", "flush.ms",
        "unclean.leader.election.enable", "file.delete.delay.ms",
        "message.timestamp.before.max.ms", "message.timestamp.after.max.ms");
    for (ConfigDef d : TopicConfigs.all().values()) {
      assertThat(d.validate(d.defaultValue())).as(d.name()).isEmpty();
      assertThat(d.doc()).as(d.name()).isNotBlank();
    }
    assertThat(TopicConfigs.find("retention.ms").orElseThrow().defaultValue())
        .isEqualTo("604800000");
  }

  @Test
  void valuesAreCheckedByTypeAndRange() {
    assertThat(TopicConfigs.validate("retention.ms", "-1")).isEmpty();
    assertThat(TopicConfigs.validate("retention.ms", "-2")).isPresent();
    assertThat(TopicConfigs.validate("retention.ms", "x")).isPresent();
    assertThat(TopicConfigs.validate("segment.bytes", "100")).isPresent();
    assertThat(TopicConfigs.validate("min.insync.replicas", "0")).isPresent();
    assertThat(TopicConfigs.validate("unclean.leader.election.enable", "TRUE")).isEmpty();
    assertThat(TopicConfigs.validate("unclean.leader.election.enable", "yes")).isPresent();
    assertThat(TopicConfigs.validate("compression.type", "brotli")).isPresent();
    assertThat(TopicConfigs.validate("cleanup.policy", "compact, delete")).isEmpty();
    assertThat(TopicConfigs.validate("min.cleanable.dirty.ratio", "1.5")).isPresent();
    assertThat(TopicConfigs.validate("no.such.config", "1")).isPresent();
  }

  @Test
  void describeReportsTheSourceOfEveryValue() {
    List<TopicConfigs.Entry> entries = TopicConfigs.describe(Map.of("retention.ms", "5"),
        Map.of("segment.bytes", "2097152"));
    assertThat(entries).hasSize(TopicConfigs.all().size());
    assertThat(entries).filteredOn(e -> e.def().name().equals("retention.ms"))
        .singleElement().satisfies(e -> {
          assertThat(e.value()).isEqualTo("5");
          assertThat(e.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
    assertThat(entries).filteredOn(e -> e.def().name().equals("segment.bytes"))
        .singleElement().extracting(TopicConfigs.Entry::source)
        .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    assertThat(entries).filteredOn(e -> e.def().name().equals("cleanup.policy"))
        .singleElement().extracting(TopicConfigs.Entry::source)
        .isEqualTo(ConfigSource.DEFAULT_CONFIG);
    assertThat(TopicConfigs.effective("retention.ms", Map.of(), Map.of())).isEqualTo("604800000");
  }
}
