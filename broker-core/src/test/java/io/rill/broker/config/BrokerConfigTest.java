package io.rill.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

  @Test
  void theEmbeddedDefaultIsOneCombinedNodeOnLoopback9092WithDataInDotData() {
    BrokerConfig c = BrokerConfig.of(Map.of());
    assertThat(c.nodeId()).isEqualTo(1);
    assertThat(c.isBroker()).isTrue();
    assertThat(c.isController()).isTrue();
    assertThat(c.listeners()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));
    assertThat(c.advertisedListeners()).isEqualTo(c.listeners());
    assertThat(c.logDirs()).containsExactly(Path.of("./data"));
    assertThat(c.logRetentionMs()).isEqualTo(168L * 3600 * 1000);
  }

  @Test
  void aFileWithOnlyTheSixRequiredKeysStarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, String.join("\n",
        "node.id=3", "process.roles=broker,controller",
        "listeners=PLAINTEXT://127.0.0.1:19092", "advertised.listeners=PLAINTEXT://localhost:19092",
        "controller.quorum.voters=3@127.0.0.1:19093", "log.dirs=" + dir.resolve("d")));
    BrokerConfig c = BrokerConfig.load(file, Map.of("num.partitions", "4"));
    assertThat(c.nodeId()).isEqualTo(3);
    assertThat(c.advertisedListeners().get(0).host()).isEqualTo("localhost");
    assertThat(c.voters()).containsExactly(new QuorumVoter(3, "127.0.0.1", 19093));
    assertThat(c.getInt("num.partitions")).isEqualTo(4);
    assertThat(c.unknownKeys()).isEmpty();
    assertThat(c.getInt("group.initial.rebalance.delay.ms")).as("Kafka's default in a file")
        .isEqualTo(3000);
  }

  @Test
  void theEmbeddedDefaultRebalancesANewGroupAtOnceUnlessOverridden() throws Exception {
    assertThat(BrokerConfig.load(null, Map.of()).getInt("group.initial.rebalance.delay.ms"))
        .isZero();
    assertThat(BrokerConfig.load(null, Map.of("group.initial.rebalance.delay.ms", "500"))
        .getInt("group.initial.rebalance.delay.ms")).isEqualTo(500);
  }

  @Test
  void anInvalidValueNamesTheKey() {
    assertThatThrownBy(() -> BrokerConfig.of(Map.of("num.io.threads", "zero")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("num.io.threads");
    assertThatThrownBy(() -> BrokerConfig.of(Map.of("num.partitions", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("num.partitions");
    assertThatThrownBy(() -> BrokerConfig.of(Map.of("listeners", "127.0.0.1:9092")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("listeners");
    assertThatThrownBy(() -> BrokerConfig.of(Map.of("node.id", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("controller.quorum.voters");
  }

  @Test
  void unknownKeysAreReportedNotFatal() {
    BrokerConfig c = BrokerConfig.of(Map.of("no.such.key", "1", "auto.create.topics.enable", "false"));
    assertThat(c.unknownKeys()).isEqualTo(List.of("no.such.key"));
    assertThat(c.getBoolean("auto.create.topics.enable")).isFalse();
  }

  @Test
  void retentionPrefersMsOverMinutesOverHours() {
    assertThat(BrokerConfig.of(Map.of("log.retention.hours", "1")).logRetentionMs()).isEqualTo(3_600_000L);
    assertThat(BrokerConfig.of(Map.of("log.retention.hours", "1", "log.retention.minutes", "2"))
        .logRetentionMs()).isEqualTo(120_000L);
    assertThat(BrokerConfig.of(Map.of("log.retention.minutes", "2", "log.retention.ms", "5"))
        .logRetentionMs()).isEqualTo(5L);
  }
}
