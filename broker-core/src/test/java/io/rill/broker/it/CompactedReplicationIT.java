package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica added to a compacted partition copies the leader's cleaned log, gaps in its offsets,
 * emptied producer batches and tombstones with their delete horizon included, and can lead it:
 * a consumer of the new leader reads the latest value of every key at the offset it was written
 * at, and the idempotent producer that wrote them goes on writing. Two brokers (a combined node
 * and a broker-only one) in this JVM; the data is random from a printed seed.
 */
class CompactedReplicationIT {
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOPIC = "table";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final int KEYS = 300;
  private static final int ROUNDS = 6;

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 1, 0, 1, Map.of("log.cleaner.backoff.ms", "50",
        "offsets.topic.num.partitions", "1"));
    admin = Admin.create(cluster.clientProps(1));
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

  @Test
  void aReplicaAddedAfterCleaningCopiesTheCleanedLogAndCanLeadIt() throws Exception {
    System.out.println("CompactedReplicationIT seed " + SEED + " (rerun with -Drill.seed="
        + SEED + ")");
    Random random = new Random(SEED);
    admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1))).configs(Map.of(
        "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01",
        "segment.ms", "500")))).all().get(30, TimeUnit.SECONDS);
    // The latest record of each key: its offset and value (null for a tombstone).
    Map<String, ConsumerRecordView> latest = new LinkedHashMap<>();
    long base = System.currentTimeMillis() - 60_000;
    try (KafkaProducer<String, String> producer = Clients.producer(
        Clients.props("bootstrap.servers", cluster.bootstrap()), new Properties())) {
      for (int round = 0; round < ROUNDS; round++) {
        // Each round's timestamps lie a second after the last's: each round rolls a segment.
        long ts = base + round * 1_000L;
        for (int k = 0; k < KEYS; k++) {
          if (random.nextInt(3) == 0) {
            continue;
          }
          String key = "key-" + k;
          String value = random.nextInt(10) == 0 ? null : "r" + round + "-" + random.nextInt();
          long offset = producer.send(new ProducerRecord<>(TOPIC, 0, ts, key, value)).get()
              .offset();
          latest.put(key, new ConsumerRecordView(offset, value));
        }
      }
      PartitionLog leaderLog = log(1).orElseThrow();
      TestCluster.await("broker 1 to clean " + TP, WAIT, () -> leaderLog.cleanedOffset() > 0);
      long cleanedBefore = leaderLog.cleanedOffset();

      // Broker 2 joins and copies the cleaned log; then it becomes the preferred leader.
      admin.alterPartitionReassignments(Map.of(TP, Optional.of(
          new NewPartitionReassignment(List.of(2, 1))))).all().get(30, TimeUnit.SECONDS);
      TestCluster.await("broker 2 in the ISR of " + TP, WAIT,
          () -> describe().isr().stream().anyMatch(n -> n.id() == 2));
      admin.electLeaders(ElectionType.PREFERRED, java.util.Set.of(TP)).all()
          .get(30, TimeUnit.SECONDS);
      TestCluster.await("broker 2 to lead " + TP, WAIT, () -> describe().leader().id() == 2);

      Map<String, ConsumerRecordView> read = readAll();
      assertThat(live(read)).as("latest value and offset of every live key, read from broker 2"
          + " (seed %s; broker 1 had cleaned up to %s)", SEED, cleanedBefore)
          .isEqualTo(live(latest));
      // A tombstone still within delete.retention.ms (a day) is read as one, at its offset.
      latest.forEach((key, r) -> {
        if (r.value() == null) {
          assertThat(read.get(key)).as("tombstone of %s", key).isEqualTo(r);
        }
      });

      long next = producer.send(new ProducerRecord<>(TOPIC, 0, "key-0", "after")).get().offset();
      assertThat(next).as("the producer writes on to the new leader").isGreaterThan(
          latest.values().stream().mapToLong(ConsumerRecordView::offset).max().orElseThrow());
    }
  }

  private record ConsumerRecordView(long offset, String value) {}

  /** The keys whose latest record has a value (not a tombstone). */
  private static Map<String, ConsumerRecordView> live(Map<String, ConsumerRecordView> latest) {
    Map<String, ConsumerRecordView> live = new LinkedHashMap<>(latest);
    live.values().removeIf(r -> r.value() == null);
    return live;
  }

  private static Optional<PartitionLog> log(int node) {
    return cluster.node(node).logManager().log(new io.rill.broker.log.TopicPartition(TOPIC, 0));
  }

  private static TopicPartitionInfo describe() {
    try {
      TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(TOPIC);
      return d.partitions().get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every record of the partition from its leader, the latest per key (tombstones included). */
  private static Map<String, ConsumerRecordView> readAll() throws Exception {
    long end = admin.listOffsets(Map.of(TP, org.apache.kafka.clients.admin.OffsetSpec.latest()))
        .partitionResult(TP).get(30, TimeUnit.SECONDS).offset();
    Map<String, ConsumerRecordView> read = new LinkedHashMap<>();
    try (KafkaConsumer<String, String> consumer = Clients.consumer(
        Clients.props("bootstrap.servers", cluster.bootstrap()), new Properties())) {
      consumer.assign(List.of(TP));
      consumer.seekToBeginning(List.of(TP));
      for (ConsumerRecord<String, String> r : Clients.pollUntil(consumer,
          all -> consumer.position(TP) >= end, WAIT)) {
        read.put(r.key(), new ConsumerRecordView(r.offset(), r.value()));
      }
      assertThat(consumer.position(TP)).as("read to the end, %s", end).isGreaterThanOrEqualTo(end);
    }
    return read;
  }
}
