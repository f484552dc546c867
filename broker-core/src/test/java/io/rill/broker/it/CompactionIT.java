package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction seen through the official Java client on a real broker: a compacted topic read
 * from the beginning gives each key's latest value once, at the offset it was written (gaps
 * between), deleted keys gone; {@code __consumer_offsets}, compacted as in Kafka, stays small
 * under a group that commits again and again.
 */
class CompactionIT {
  private static final Duration CLEANED_MAX = Duration.ofSeconds(60);
  private static final int KEYS = 1_000;
  private static final int ROUNDS = 5;
  private static final int DELETED = 100;

  @TempDir static Path dir;
  private static TestNode node;
  private static Admin admin;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir, Map.of("log.cleaner.backoff.ms", "50",
        "offsets.topic.num.partitions", "1"));
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

  @Test
  void aCompactedTopicReadFromTheStartGivesTheLatestValueOfEachKey() throws Exception {
    String topic = "table";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
        "cleanup.policy", "compact", "segment.ms", "500",
        "min.cleanable.dirty.ratio", "0.01")))).all().get();
    Map<String, String> expected = new LinkedHashMap<>();
    long base = System.currentTimeMillis() - 60_000;
    try (KafkaProducer<String, String> producer = Clients.producer(node, new Properties())) {
      for (int round = 0; round < ROUNDS; round++) {
        // A round's timestamps lie a second after the last's: each round rolls a segment.
        long ts = base + round * 1_000L;
        for (int k = 0; k < KEYS; k++) {
          boolean delete = round == ROUNDS - 1 && k < DELETED;
          String value = delete ? null : "r" + round + "-" + k;
          producer.send(new ProducerRecord<>(topic, 0, ts, "key-" + k, value));
          if (delete) {
            expected.remove("key-" + k);
          } else {
            expected.put("key-" + k, value);
          }
        }
        producer.flush();
      }
      producer.send(new ProducerRecord<>(topic, 0, base + ROUNDS * 1_000L, "end", "end")).get();
      expected.put("end", "end");
    }
    PartitionLog log = node.node().logManager().log(
        new io.rill.broker.log.TopicPartition(topic, 0)).orElseThrow();
    long activeBase = ROUNDS * (long) KEYS;
    awaitTrue(() -> log.cleanedOffset() >= activeBase, "the log is cleaned up to the active"
        + " segment");

    List<ConsumerRecord<String, String>> records = readAll(topic);
    Map<String, String> seen = new HashMap<>();
    long previous = -1;
    int gaps = 0;
    for (ConsumerRecord<String, String> r : records) {
      assertThat(r.offset()).isGreaterThan(previous);
      gaps += r.offset() > previous + 1 ? 1 : 0;
      previous = r.offset();
      assertThat(seen).as("key %s read twice", r.key()).doesNotContainKey(r.key());
      seen.put(r.key(), r.value());
    }
    seen.values().removeIf(v -> v == null);
    assertThat(seen).isEqualTo(expected);
    assertThat(gaps).isPositive();
    // The last round's values sit at their original offsets.
    assertThat(records.stream().filter(r -> "key-500".equals(r.key())).findFirst().orElseThrow()
        .offset()).isEqualTo((ROUNDS - 1) * (long) KEYS + 500);
  }

  @Test
  void aRecordWithoutAKeyIsRefusedWithInvalidRecord() throws Exception {
    String topic = "keyed-only";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
        "cleanup.policy", "compact")))).all().get();
    try (KafkaProducer<String, String> producer = Clients.producer(node, new Properties())) {
      assertThat(producer.send(new ProducerRecord<>(topic, "k", "v")).get().offset()).isZero();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>(topic, null, "no key")).get())
          .hasCauseInstanceOf(org.apache.kafka.common.InvalidRecordException.class);
    }
  }

  @Test
  void consumerOffsetsStaysBoundedUnderAGroupThatCommitsOften() throws Exception {
    String topic = "committed";
    admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
    try (KafkaConsumer<String, String> consumer = Clients.consumer(node,
        Clients.props("group.id", "committer"))) {
      consumer.subscribe(List.of(topic));
      Clients.pollUntil(consumer, r -> !consumer.assignment().isEmpty(), Duration.ofSeconds(30));
      admin.incrementalAlterConfigs(Map.of(
          new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets"),
          List.of(new AlterConfigOp(new ConfigEntry("segment.ms", "300"),
                  AlterConfigOp.OpType.SET),
              new AlterConfigOp(new ConfigEntry("min.cleanable.dirty.ratio", "0.01"),
                  AlterConfigOp.OpType.SET)))).all().get();
      PartitionLog offsets = node.node().logManager().log(
          new io.rill.broker.log.TopicPartition("__consumer_offsets", 0)).orElseThrow();
      long appendedBytes = 0;
      long largest = 0;
      long endNs = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      for (int i = 0; System.nanoTime() < endNs; i++) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
          commit.put(tp, new OffsetAndMetadata(i));
        }
        long before = offsets.sizeInBytes();
        consumer.commitSync(commit);
        // A cleaning between the two reads only makes this smaller: a lower bound.
        appendedBytes += Math.max(0, offsets.sizeInBytes() - before);
        largest = Math.max(largest, offsets.sizeInBytes());
      }
      long records = offsets.logEndOffset();
      System.out.printf("__consumer_offsets: %d records, at least %d bytes appended in 20 s;"
          + " largest size %d bytes%n", records, appendedBytes, largest);
      assertThat(records).isGreaterThan(2_000);
      assertThat(largest).as("largest size vs bytes appended").isLessThan(appendedBytes / 4);
      // Roll, as the next commit after segment.ms would: then all of it may be cleaned, and
      // what stays is each group-partition's last commit and the group's metadata.
      offsets.roll();
      awaitTrue(() -> offsets.sizeInBytes() < 16 * 1024, "__consumer_offsets shrinks below"
          + " 16 KiB once cleaned (" + records + " records written)");
      System.out.printf("__consumer_offsets after the last cleaning: %d bytes%n",
          offsets.sizeInBytes());
    }
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    try (KafkaConsumer<String, String> consumer = Clients.consumer(node, new Properties())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      return Clients.pollUntil(consumer, all -> consumer.position(tp) >= end,
          Duration.ofSeconds(30));
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + CLEANED_MAX.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited for: %s", what).isLessThan(deadline);
      Thread.onSpinWait();
      try {
        Thread.sleep(20); // a poll interval, not a wait for the condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
