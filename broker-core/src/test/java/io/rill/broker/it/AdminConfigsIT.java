package io.rill.broker.it;

import static io.rill.broker.it.AdminTopicsIT.assertFailsWith;
import static io.rill.broker.it.AdminTopicsIT.awaitTrue;
import static io.rill.broker.it.AdminTopicsIT.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.config.BrokerConfigDef;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.TopicPartition;
import io.rill.metadata.config.BrokerDynamicConfigs;
import io.rill.metadata.config.TopicConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeConfigs and IncrementalAlterConfigs with the official Admin client against one real
 * node whose file sets {@code log.retention.hours=48} (so a static broker setting shows up as
 * the source of {@code retention.ms}). A topic config change must reach the partition logs
 * without a restart.
 */
class AdminConfigsIT {
  static final String BROKER_RETENTION_MS = Long.toString(48L * 3_600_000L);

  @TempDir static Path dir;
  static TestNode node;
  static Admin admin;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir, Map.of("log.retention.hours", "48"));
    admin = Admin.create(node.clientProps());
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (node != null) {
      node.close();
    }
  }

  static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  static Config describe(ConfigResource resource) throws Exception {
    return get(admin.describeConfigs(List.of(resource),
        new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true)).all())
        .get(resource);
  }

  static void createTopic(String name, Map<String, String> configs) throws Exception {
    get(admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all());
  }

  static void alter(String topic, AlterConfigOp... ops) throws Exception {
    get(admin.incrementalAlterConfigs(Map.of(topic(topic), List.of(ops))).all());
  }

  static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
    return new AlterConfigOp(new ConfigEntry(name, value), type);
  }

  static LogConfig logConfig(String topic) {
    return node.node().logManager().log(new TopicPartition(topic, 0)).orElseThrow().config();
  }

  /** Waits until the node's log of the topic has a config matching {@code condition}. */
  static void awaitLogConfig(String topic, Predicate<LogConfig> condition, String what)
      throws InterruptedException {
    awaitTrue(() -> condition.test(logConfig(topic)), what);
  }

  @Test
  void topicConfigsListEveryConfigWithValueSourceAndSynonyms() throws Exception {
    createTopic("described", Map.of("max.message.bytes", "2000"));
    Config config = describe(topic("described"));
    assertThat(config.entries().stream().map(ConfigEntry::name))
        .containsExactlyInAnyOrderElementsOf(TopicConfigs.all().keySet());
    assertThat(config.entries()).allSatisfy(e -> {
      assertThat(e.isReadOnly()).isFalse();
      assertThat(e.isSensitive()).isFalse();
      assertThat(e.documentation()).isNotBlank();
      assertThat(e.type()).isNotEqualTo(ConfigEntry.ConfigType.UNKNOWN);
    });

    ConfigEntry override = config.get("max.message.bytes");
    assertThat(override.value()).isEqualTo("2000");
    assertThat(override.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
    assertThat(override.type()).isEqualTo(ConfigEntry.ConfigType.INT);
    assertThat(override.synonyms()).extracting(ConfigEntry.ConfigSynonym::name,
            ConfigEntry.ConfigSynonym::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("max.message.bytes",
                ConfigSource.DYNAMIC_TOPIC_CONFIG),
            org.assertj.core.groups.Tuple.tuple("message.max.bytes",
                ConfigSource.DEFAULT_CONFIG));

    ConfigEntry retention = config.get("retention.ms");
    assertThat(retention.value()).isEqualTo(BROKER_RETENTION_MS);
    assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
    assertThat(retention.synonyms()).anySatisfy(s -> {
      assertThat(s.name()).isEqualTo("log.retention.hours");
      assertThat(s.value()).isEqualTo("48");
      assertThat(s.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    });

    ConfigEntry segment = config.get("segment.bytes");
    assertThat(segment.value()).isEqualTo("1073741824");
    assertThat(segment.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
  }

  @Test
  void anUnknownTopicIsReportedForThatResource() {
    assertFailsWith(admin.describeConfigs(List.of(topic("no-such-topic"))).all(),
        UnknownTopicOrPartitionException.class);
  }

  @Test
  void brokerConfigsListEveryKeyWithItsSource() throws Exception {
    Config config = describe(new ConfigResource(ConfigResource.Type.BROKER, "1"));
    Map<String, ConfigEntry> byName = config.entries().stream()
        .collect(Collectors.toMap(ConfigEntry::name, e -> e));
    assertThat(byName.keySet())
        .containsExactlyInAnyOrderElementsOf(BrokerConfigDef.DEF.keys().keySet());
    assertThat(byName.get("log.retention.hours").value()).isEqualTo("48");
    assertThat(byName.get("log.retention.hours").source())
        .isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    assertThat(byName.get("num.io.threads").value()).isEqualTo("8");
    assertThat(byName.get("num.io.threads").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
    assertThat(byName.get("log.retention.ms").value()).isNull();
    assertThat(config.entries()).allSatisfy(e -> assertThat(e.isReadOnly()).as(e.name())
        .isEqualTo(!BrokerDynamicConfigs.isDynamic(e.name())));
    assertThat(byName.get("log.retention.ms").isReadOnly()).isFalse();
    assertThat(byName.get("log.dirs").isReadOnly()).isTrue();

    // The cluster-wide default holds only the dynamic defaults set, and none are.
    assertThat(describe(new ConfigResource(ConfigResource.Type.BROKER, "")).entries()).isEmpty();
  }

  @Test
  void setAndDeleteTakeEffectOnTheLogWithoutARestart() throws Exception {
    createTopic("live", Map.of());
    assertThat(logConfig("live").retentionMs()).isEqualTo(Long.parseLong(BROKER_RETENTION_MS));

    alter("live", op("retention.ms", "3600000", AlterConfigOp.OpType.SET),
        op("max.message.bytes", "4096", AlterConfigOp.OpType.SET));
    ConfigEntry retention = describe(topic("live")).get("retention.ms");
    assertThat(retention.value()).isEqualTo("3600000");
    assertThat(retention.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
    awaitLogConfig("live", c -> c.retentionMs() == 3_600_000L && c.maxMessageBytes() == 4096,
        "the new retention.ms and max.message.bytes reach the log");

    alter("live", op("retention.ms", null, AlterConfigOp.OpType.DELETE));
    retention = describe(topic("live")).get("retention.ms");
    assertThat(retention.value()).isEqualTo(BROKER_RETENTION_MS);
    assertThat(retention.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
    assertThat(describe(topic("live")).get("max.message.bytes").value()).isEqualTo("4096");
    awaitLogConfig("live", c -> c.retentionMs() == Long.parseLong(BROKER_RETENTION_MS),
        "the broker's retention applies again");
  }

  @Test
  void appendAndSubtractEditListConfigsOnly() throws Exception {
    createTopic("lists", Map.of());
    String key = "leader.replication.throttled.replicas";
    alter("lists", op(key, "0:1", AlterConfigOp.OpType.APPEND));
    alter("lists", op(key, "1:1", AlterConfigOp.OpType.APPEND));
    assertThat(describe(topic("lists")).get(key).value()).isEqualTo("0:1,1:1");
    alter("lists", op(key, "0:1", AlterConfigOp.OpType.SUBTRACT));
    assertThat(describe(topic("lists")).get(key).value()).isEqualTo("1:1");

    assertFailsWith(admin.incrementalAlterConfigs(Map.of(topic("lists"),
            List.of(op("retention.ms", "1000", AlterConfigOp.OpType.APPEND)))).all(),
        InvalidConfigurationException.class);
  }

  @Test
  void invalidChangesAreRefusedAndChangeNothing() throws Exception {
    createTopic("strict", Map.of("retention.ms", "60000"));
    for (AlterConfigOp bad : List.of(op("retention.ms", "soon", AlterConfigOp.OpType.SET),
        op("no.such.config", "1", AlterConfigOp.OpType.SET),
        op("segment.bytes", "1", AlterConfigOp.OpType.SET))) {
      assertFailsWith(admin.incrementalAlterConfigs(Map.of(topic("strict"), List.of(bad))).all(),
          InvalidConfigurationException.class);
    }
    assertFailsWith(admin.incrementalAlterConfigs(Map.of(topic("absent"),
            List.of(op("retention.ms", "1000", AlterConfigOp.OpType.SET)))).all(),
        UnknownTopicOrPartitionException.class);
    assertThat(describe(topic("strict")).get("retention.ms").value()).isEqualTo("60000");
  }

  @Test
  void validateOnlyChangesNothing() throws Exception {
    createTopic("dry-config", Map.of());
    get(admin.incrementalAlterConfigs(Map.of(topic("dry-config"),
            List.of(op("retention.ms", "1000", AlterConfigOp.OpType.SET))),
        new AlterConfigsOptions().validateOnly(true)).all());
    assertThat(describe(topic("dry-config")).get("retention.ms").value())
        .isEqualTo(BROKER_RETENTION_MS);
    assertThat(logConfig("dry-config").retentionMs())
        .isEqualTo(Long.parseLong(BROKER_RETENTION_MS));
    // Validation alone still refuses a bad value.
    assertFailsWith(admin.incrementalAlterConfigs(Map.of(topic("dry-config"),
            List.of(op("retention.ms", "soon", AlterConfigOp.OpType.SET))),
        new AlterConfigsOptions().validateOnly(true)).all(), InvalidConfigurationException.class);
  }
}
