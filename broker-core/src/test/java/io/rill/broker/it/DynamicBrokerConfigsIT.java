package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.rill.broker.log.CleanerSettings;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic broker configs (KIP-226) with the official Admin client against a cluster of a
 * combined node (1) and a broker-only node (2), both with {@code log.retention.hours=48} in
 * their file. The rule: effective value = per-broker dynamic, else cluster-wide dynamic
 * default, else the node's file, else Kafka's default; topic overrides above all; a change
 * reaches every broker's logs without a restart, and only dynamic keys with valid values are
 * accepted.
 */
class DynamicBrokerConfigsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long HOUR_MS = 3_600_000L;
  private static final ConfigResource CLUSTER = broker("");

  @TempDir static Path dir;
  static TestCluster cluster;
  /** Bootstrapped at broker 2 only: changes go through the broker that runs no controller. */
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 1, 0, 1, Map.of("log.retention.hours", "48"));
    admin = Admin.create(cluster.clientProps(2));
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static ConfigResource broker(String id) {
    return new ConfigResource(ConfigResource.Type.BROKER, id);
  }

  static <T> T get(KafkaFuture<T> f) throws Exception {
    return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Config describe(ConfigResource r) throws Exception {
    return get(admin.describeConfigs(List.of(r), new DescribeConfigsOptions()
        .includeSynonyms(true)).all()).get(r);
  }

  static void alter(ConfigResource r, String key, Optional<String> value) throws Exception {
    AlterConfigOp op = new AlterConfigOp(new ConfigEntry(key, value.orElse(null)),
        value.isPresent() ? AlterConfigOp.OpType.SET : AlterConfigOp.OpType.DELETE);
    get(admin.incrementalAlterConfigs(Map.of(r, List.<AlterConfigOp>of(op))).all());
  }

  static LogConfig logConfig(int node, String topic) {
    return cluster.node(node).logManager().log(new TopicPartition(topic, 0)).orElseThrow()
        .config();
  }

  /** Waits until broker {@code node} describes {@code key} of itself with this value. */
  static void awaitBrokerValue(int node, String key, String value, ConfigSource source)
      throws InterruptedException {
    TestCluster.await("broker " + node + " to describe " + key + "=" + value + " from "
        + source, WAIT, () -> {
          try {
            ConfigEntry e = describe(broker(Integer.toString(node))).get(key);
            return value.equals(e.value()) && e.source() == source;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  static void awaitRetention(int node, String topic, long retentionMs)
      throws InterruptedException {
    TestCluster.await("broker " + node + "'s log of " + topic + " to have retention.ms="
        + retentionMs, WAIT, () -> logConfig(node, topic).retentionMs() == retentionMs);
  }

  @Test
  void clusterDefaultReachesEveryBrokerPerBrokerWinsAndDeletingRestoresTheFile()
      throws Exception {
    get(admin.createTopics(List.of(new NewTopic("plain", 1, (short) 2),
        new NewTopic("pinned", 1, (short) 2).configs(Map.of("retention.ms", "60000")))).all());
    for (int node : List.of(1, 2)) {
      TestCluster.await("broker " + node + " to host both topics", WAIT,
          () -> cluster.node(node).logManager().log(new TopicPartition("plain", 0)).isPresent()
              && cluster.node(node).logManager().log(new TopicPartition("pinned", 0))
                  .isPresent());
      awaitRetention(node, "plain", 48 * HOUR_MS);
    }

    // The cluster-wide default, sent to broker 2, reaches both brokers and the topic without
    // an override; the topic with its own retention.ms keeps it.
    alter(CLUSTER, "log.retention.hours", Optional.of("2"));
    for (int node : List.of(1, 2)) {
      awaitBrokerValue(node, "log.retention.hours", "2",
          ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      awaitRetention(node, "plain", 2 * HOUR_MS);
      assertThat(logConfig(node, "pinned").retentionMs()).isEqualTo(60_000L);
    }
    ConfigEntry topicRetention = get(admin.describeConfigs(List.of(
        new ConfigResource(ConfigResource.Type.TOPIC, "plain"))).all()).values().iterator()
        .next().get("retention.ms");
    assertThat(topicRetention.value()).isEqualTo(Long.toString(2 * HOUR_MS));
    assertThat(topicRetention.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
    assertThat(describe(CLUSTER).entries()).extracting(ConfigEntry::name, ConfigEntry::value,
        ConfigEntry::source).containsExactly(tuple("log.retention.hours", "2",
            ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));

    // A per-broker value wins over the cluster default on that broker only.
    alter(broker("1"), "log.retention.hours", Optional.of("3"));
    awaitBrokerValue(1, "log.retention.hours", "3", ConfigSource.DYNAMIC_BROKER_CONFIG);
    awaitRetention(1, "plain", 3 * HOUR_MS);
    assertThat(logConfig(2, "plain").retentionMs()).isEqualTo(2 * HOUR_MS);
    assertThat(describe(broker("1")).get("log.retention.hours").synonyms())
        .extracting(ConfigEntry.ConfigSynonym::value, ConfigEntry.ConfigSynonym::source)
        .containsExactly(tuple("3", ConfigSource.DYNAMIC_BROKER_CONFIG),
            tuple("2", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
            tuple("48", ConfigSource.STATIC_BROKER_CONFIG),
            tuple("168", ConfigSource.DEFAULT_CONFIG));

    // Deleting both levels restores the node file's value everywhere.
    alter(broker("1"), "log.retention.hours", Optional.empty());
    alter(CLUSTER, "log.retention.hours", Optional.empty());
    for (int node : List.of(1, 2)) {
      awaitBrokerValue(node, "log.retention.hours", "48", ConfigSource.STATIC_BROKER_CONFIG);
      awaitRetention(node, "plain", 48 * HOUR_MS);
      assertThat(logConfig(node, "pinned").retentionMs()).isEqualTo(60_000L);
    }
    assertThat(describe(CLUSTER).entries()).isEmpty();
  }

  @Test
  void readOnlyUnknownAndInvalidChangesAreRefusedNamingTheKey() throws Exception {
    assertRefused(CLUSTER, "num.io.threads", "4",
        "Cannot update these configs dynamically: num.io.threads");
    assertRefused(broker("2"), "log.dirs", "/tmp/elsewhere",
        "Cannot update these configs dynamically: log.dirs");
    assertRefused(CLUSTER, "no.such.config", "1", "Unknown broker config name: no.such.config");
    assertRefused(broker("2"), "log.retention.ms", "soon",
        "Invalid value soon for configuration log.retention.ms");
    assertRefused(CLUSTER, "min.insync.replicas", "0",
        "Invalid value 0 for configuration min.insync.replicas");
    assertThat(describe(CLUSTER).entries()).isEmpty();
    assertThat(describe(broker("2")).get("min.insync.replicas").source())
        .isEqualTo(ConfigSource.DEFAULT_CONFIG);
  }

  @Test
  void theCleanerSettingsAndTheDefaultCleanupPolicyChangeWithoutARestart() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("before", 1, (short) 2))).all());
    Config brokerConfig = describe(broker("2"));
    assertThat(brokerConfig.get("log.cleaner.threads")).satisfies(e -> {
      assertThat(e.value()).isEqualTo("1");
      assertThat(e.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
      assertThat(e.isReadOnly()).isFalse();
    });
    assertThat(brokerConfig.get("log.cleaner.enable").isReadOnly()).isTrue();
    assertThat(brokerConfig.get("log.cleaner.dedupe.buffer.size").value()).isEqualTo("134217728");
    try {
      alter(CLUSTER, "log.cleaner.threads", Optional.of("2"));
      alter(CLUSTER, "log.cleaner.io.max.bytes.per.second", Optional.of("5000000"));
      alter(CLUSTER, "log.cleanup.policy", Optional.of("compact"));
      get(admin.createTopics(List.of(new NewTopic("after", 1, (short) 2))).all());
      for (int node : List.of(1, 2)) {
        awaitBrokerValue(node, "log.cleaner.threads", "2",
            ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        TestCluster.await("broker " + node + "'s cleaner to run 2 threads at 5 MB/s", WAIT,
            () -> cluster.node(node).logManager().cleaner().orElseThrow().settings()
                .equals(new CleanerSettings(true, 2, 134217728L, 5e6,
                    15_000L, 86_400_000L)));
        for (String topic : List.of("before", "after")) {
          TestCluster.await("broker " + node + "'s log of " + topic + " to compact", WAIT,
              () -> cluster.node(node).logManager().log(new TopicPartition(topic, 0))
                  .map(l -> l.config().cleanupPolicy().compacts()).orElse(false));
        }
      }
      ConfigEntry policy = get(admin.describeConfigs(List.of(new ConfigResource(
          ConfigResource.Type.TOPIC, "after")), new DescribeConfigsOptions()
          .includeSynonyms(true)).all()).values().iterator().next().get("cleanup.policy");
      assertThat(policy.value()).isEqualTo("compact");
      assertThat(policy.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      assertThat(policy.synonyms()).extracting(ConfigEntry.ConfigSynonym::name,
          ConfigEntry.ConfigSynonym::value, ConfigEntry.ConfigSynonym::source)
          .containsExactly(tuple("log.cleanup.policy", "compact",
              ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
              tuple("log.cleanup.policy", "delete", ConfigSource.DEFAULT_CONFIG));
      assertRefused(CLUSTER, "log.cleaner.enable", "false",
          "Cannot update these configs dynamically: log.cleaner.enable");
      assertRefused(CLUSTER, "log.cleaner.threads", "0",
          "Invalid value 0 for configuration log.cleaner.threads");
    } finally {
      for (String key : List.of("log.cleaner.threads", "log.cleaner.io.max.bytes.per.second",
          "log.cleanup.policy")) {
        alter(CLUSTER, key, Optional.empty());
      }
    }
    for (int node : List.of(1, 2)) {
      TestCluster.await("broker " + node + "'s cleaner back to its file's settings", WAIT,
          () -> cluster.node(node).logManager().cleaner().orElseThrow().settings().threads() == 1);
      TestCluster.await("broker " + node + "'s log of before to delete again", WAIT,
          () -> !logConfig(node, "before").cleanupPolicy().compacts());
    }
  }

  private static void assertRefused(ConfigResource r, String key, String value, String message) {
    Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(r,
        List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
    assertThatThrownBy(() -> get(admin.incrementalAlterConfigs(change).all()))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(message);
  }
}
