package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.broker.log.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicDeletionDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CreateTopics, DeleteTopics and CreatePartitions with the official Admin client against one
 * real node (num.partitions=2, so that broker defaults are visible). Each test uses its own
 * topic names.
 */
class AdminTopicsIT {
  static final int DEFAULT_PARTITIONS = 2;
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir static Path dir;
  static TestNode node;
  static Admin admin;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir, Map.of("num.partitions", Integer.toString(DEFAULT_PARTITIONS)));
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

  static <T> T get(KafkaFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static void assertFailsWith(KafkaFuture<?> future, Class<? extends Throwable> type) {
    assertThatThrownBy(() -> get(future)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(type);
  }

  static TopicDescription describe(String topic) throws Exception {
    return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
  }

  /** Polls until {@code condition} holds or the deadline passes (no fixed sleeps). */
  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  boolean hasLog(String topic, int partition) {
    return node.node().logManager().log(new TopicPartition(topic, partition)).isPresent();
  }

  @Test
  void createdTopicIsListedDescribedAndDeleted() throws Exception {
    CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)));
    get(created.all());
    assertThat(get(created.numPartitions("orders"))).isEqualTo(3);
    assertThat(get(created.replicationFactor("orders"))).isEqualTo(1);
    Uuid id = get(created.topicId("orders"));
    assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);

    assertThat(get(admin.listTopics().names())).contains("orders");
    TopicDescription description = describe("orders");
    assertThat(description.topicId()).isEqualTo(id);
    assertThat(description.partitions()).hasSize(3);
    assertThat(description.partitions()).allSatisfy(p -> {
      assertThat(p.leader().id()).isEqualTo(1);
      assertThat(p.replicas()).hasSize(1);
    });
    assertThat(hasLog("orders", 2)).isTrue();

    get(admin.deleteTopics(List.of("orders")).all());
    assertThat(get(admin.listTopics().names())).doesNotContain("orders");
    assertFailsWith(admin.describeTopics(List.of("orders")).allTopicNames(),
        UnknownTopicOrPartitionException.class);
    awaitTrue(() -> !hasLog("orders", 0), "the deleted topic's logs are gone");
  }

  @Test
  void partitionsAndReplicationFactorOfMinusOneTakeTheBrokerDefaults() throws Exception {
    CreateTopicsResult created = admin.createTopics(
        List.of(new NewTopic("defaults", Optional.empty(), Optional.empty())));
    get(created.all());
    assertThat(get(created.numPartitions("defaults"))).isEqualTo(DEFAULT_PARTITIONS);
    assertThat(get(created.replicationFactor("defaults"))).isEqualTo(1);
    assertThat(describe("defaults").partitions()).hasSize(DEFAULT_PARTITIONS);
  }

  @Test
  void createTopicsReturnsEveryConfigWithItsSource() throws Exception {
    CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("with-configs", 1,
        (short) 1).configs(Map.of("retention.ms", "3600000"))));
    get(created.all());
    ConfigEntry retention = get(created.config("with-configs")).get("retention.ms");
    assertThat(retention.value()).isEqualTo("3600000");
    assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    ConfigEntry segment = get(created.config("with-configs")).get("segment.bytes");
    assertThat(segment.value()).isEqualTo("1073741824");
    assertThat(segment.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    assertThat(node.node().logManager().log(new TopicPartition("with-configs", 0)).orElseThrow()
        .config().retentionMs()).isEqualTo(3_600_000L);
  }

  @Test
  void anExistingTopicIsRefusedWithTopicExists() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all());
    Uuid id = describe("twice").topicId();
    long startNs = System.nanoTime();
    assertFailsWith(admin.createTopics(List.of(new NewTopic("twice", 4, (short) 1))).all(),
        TopicExistsException.class);
    // The refusal changes no metadata, so there is no new image to wait for: it once waited out
    // the broker's 2 s read-your-writes bound (QuorumReplies.APPLIED_WAIT_MS), which Kafka Connect
    // paid for each of its three topics at every worker start.
    assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("refusal time")
        .isLessThan(Duration.ofMillis(1_500));
    assertThat(describe("twice").topicId()).isEqualTo(id);
    assertThat(describe("twice").partitions()).hasSize(1);
  }

  @Test
  void illegalNamesAreRefusedWithInvalidTopic() throws Exception {
    for (String name : List.of("bad name", "bad/name", "..", "x".repeat(250))) {
      assertFailsWith(admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all(),
          InvalidTopicException.class);
    }
    // Names that differ only in '.' versus '_' collide (their metric names would).
    get(admin.createTopics(List.of(new NewTopic("metrics.topic", 1, (short) 1))).all());
    assertFailsWith(admin.createTopics(List.of(new NewTopic("metrics_topic", 1, (short) 1))).all(),
        InvalidTopicException.class);
    assertThat(get(admin.listTopics().names())).doesNotContain("metrics_topic");
  }

  @Test
  void badCountsAndConfigsAreRefusedWithTheirOwnErrors() {
    assertFailsWith(admin.createTopics(List.of(new NewTopic("zero-partitions", 0, (short) 1)))
        .all(), InvalidPartitionsException.class);
    assertFailsWith(admin.createTopics(List.of(new NewTopic("three-replicas", 1, (short) 3)))
        .all(), InvalidReplicationFactorException.class);
    assertFailsWith(admin.createTopics(List.of(new NewTopic("bad-config", 1, (short) 1)
        .configs(Map.of("retention.ms", "soon")))).all(), InvalidConfigurationException.class);
    assertFailsWith(admin.createTopics(List.of(new NewTopic("unknown-config", 1, (short) 1)
        .configs(Map.of("no.such.config", "1")))).all(), InvalidConfigurationException.class);
  }

  @Test
  void validateOnlyCreatesNothing() throws Exception {
    CreateTopicsResult result = admin.createTopics(
        List.of(new NewTopic("dry-run", 5, (short) 1)),
        new CreateTopicsOptions().validateOnly(true));
    get(result.all());
    assertThat(get(result.numPartitions("dry-run"))).isEqualTo(5);
    assertThat(get(admin.listTopics().names())).doesNotContain("dry-run");
    assertThat(hasLog("dry-run", 0)).isFalse();
    // Validation still refuses what a real creation would refuse.
    assertFailsWith(admin.createTopics(List.of(new NewTopic("dry-run", 0, (short) 1)),
        new CreateTopicsOptions().validateOnly(true)).all(), InvalidPartitionsException.class);
  }

  @Test
  void createPartitionsOnlyIncreases() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("growing", 1, (short) 1))).all());
    get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all());
    assertThat(describe("growing").partitions()).hasSize(3);
    assertThat(hasLog("growing", 2)).isTrue();

    assertFailsWith(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all(),
        InvalidPartitionsException.class);
    assertFailsWith(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all(),
        InvalidPartitionsException.class);
    assertFailsWith(admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(3)))
        .all(), UnknownTopicOrPartitionException.class);
    assertThat(describe("growing").partitions()).hasSize(3);
  }

  @Test
  void createPartitionsValidateOnlyChangesNothing() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("dry-growth", 1, (short) 1))).all());
    get(admin.createPartitions(Map.of("dry-growth", NewPartitions.increaseTo(4)),
        new CreatePartitionsOptions().validateOnly(true)).all());
    assertThat(describe("dry-growth").partitions()).hasSize(1);
    assertThat(hasLog("dry-growth", 1)).isFalse();
  }

  @Test
  void deleteByIdAndUnknownTopicsAreReported() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("by-id", 1, (short) 1))).all());
    Uuid id = describe("by-id").topicId();
    get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all());
    assertThat(get(admin.listTopics().names())).doesNotContain("by-id");

    assertFailsWith(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all(),
        UnknownTopicIdException.class);
    assertFailsWith(admin.deleteTopics(List.of("never-created")).all(),
        UnknownTopicOrPartitionException.class);
  }

  @Test
  void aRecreatedTopicGetsANewId() throws Exception {
    get(admin.createTopics(List.of(new NewTopic("phoenix", 2, (short) 1))).all());
    Uuid first = describe("phoenix").topicId();
    get(admin.deleteTopics(List.of("phoenix")).all());
    CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("phoenix", 1, (short) 1)));
    get(again.all());
    Uuid second = get(again.topicId("phoenix"));
    assertThat(second).isNotEqualTo(first).isNotEqualTo(Uuid.ZERO_UUID);
    TopicDescription description = describe("phoenix");
    assertThat(description.topicId()).isEqualTo(second);
    assertThat(description.partitions()).hasSize(1);
    assertThat(hasLog("phoenix", 0)).isTrue();
    awaitTrue(() -> !hasLog("phoenix", 1), "the old incarnation's partition 1 is gone");
  }

  @Test
  void deletionIsRefusedWhenDisabled(@TempDir Path otherDir) throws Exception {
    try (TestNode locked = TestNode.start(otherDir, Map.of("delete.topic.enable", "false"));
        Admin client = Admin.create(locked.clientProps())) {
      get(client.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all());
      assertFailsWith(client.deleteTopics(List.of("kept")).all(),
          TopicDeletionDisabledException.class);
      assertThat(get(client.listTopics().names())).contains("kept");
    }
  }
}
