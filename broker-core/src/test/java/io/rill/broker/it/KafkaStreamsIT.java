package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.1 (at least once, the classic group protocol) runs a word count on a Rill node:
 * Streams creates its repartition and changelog topics (replication factor -1: the broker's
 * default), counts what a seeded generator wrote, and a second instance with an empty state
 * directory restores the in-memory store from the changelog and counts on from there. Meanwhile
 * the broker compacts the changelog (the latest count of each word stays) and Streams purges the
 * repartition topic with DeleteRecords.
 */
class KafkaStreamsIT {
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  private static final String APP = "wordcount";
  private static final String CHANGELOG = APP + "-counts-store-changelog";
  private static final String REPARTITION = APP + "-by-word-repartition";
  private static final int PARTITIONS = 3;
  private static final int VOCABULARY = 200;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TestNode node;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("node"), Map.of("log.cleaner.backoff.ms", "100",
        "offsets.topic.num.partitions", "4", "group.min.session.timeout.ms", "1000"));
    admin = Admin.create(node.clientProps());
    admin.createTopics(List.of(new NewTopic("sentences", PARTITIONS, (short) 1),
        new NewTopic("counts", PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
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
  void aWordCountRestoresFromItsCompactedChangelogAndCountsOn() throws Exception {
    System.out.println("KafkaStreamsIT seed " + SEED + " (rerun with -Drill.seed=" + SEED + ")");
    Random random = new Random(SEED);
    Map<String, Long> expected = new TreeMap<>();
    write(random, 2_000, expected);
    try (KafkaStreams app = startApp(dir.resolve("state-1"))) {
      awaitCounts(expected, "the first instance's counts");
      app.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }

    write(random, 1_000, expected);
    try (KafkaStreams app = startApp(dir.resolve("state-2"))) {
      awaitCounts(expected, "the second instance's counts, restored from the changelog");
      awaitTrue("a cleaning of the changelog", () -> changelogLogs().stream()
          .anyMatch(l -> l.cleanedOffset() > 0));
      awaitTrue("the repartition topic purged by DeleteRecords",
          () -> offsets(REPARTITION, OffsetSpec.earliest()).values().stream().anyMatch(o -> o > 0));
      app.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }

    long updates = expected.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> changelog = new HashMap<>();
    List<ConsumerRecord<String, Long>> records = readAll(CHANGELOG);
    records.forEach(r -> changelog.put(r.key(), r.value()));
    System.out.printf("changelog: %d records for %d updates of %d words%n", records.size(),
        updates, expected.size());
    assertThat(changelog).as("latest count per word in the changelog").isEqualTo(expected);
    assertThat((long) records.size()).as("records left in the compacted changelog")
        .isLessThan(updates);
  }

  /** Writes {@code sentences} sentences of five words and adds them to {@code expected}. */
  private static void write(Random random, int sentences, Map<String, Long> expected)
      throws Exception {
    try (KafkaProducer<String, String> producer = Clients.producer(node, new Properties())) {
      for (int i = 0; i < sentences; i++) {
        StringBuilder sentence = new StringBuilder();
        for (int w = 0; w < 5; w++) {
          String word = String.format("w%03d", random.nextInt(VOCABULARY));
          sentence.append(w == 0 ? "" : " ").append(word);
          expected.merge(word, 1L, Long::sum);
        }
        producer.send(new ProducerRecord<>("sentences", null, sentence.toString()));
      }
      producer.flush();
    }
  }

  private static KafkaStreams startApp(Path stateDir) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("sentences", Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(sentence -> Arrays.asList(sentence.split(" ")))
        .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
        .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts-store"))
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
            // Small segments and any dirt worth cleaning, so the changelog is compacted here.
            .withLoggingEnabled(Map.of("segment.ms", "1000", "min.cleanable.dirty.ratio",
                "0.01")))
        .toStream().to("counts", Produced.with(Serdes.String(), Serdes.Long()));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0"); // every update reaches the log
    p.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "500");
    p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "3000");
    p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), "500");
    KafkaStreams app = new KafkaStreams(builder.build(), p);
    app.start();
    return app;
  }

  /** Polls the counts topic from the start until the latest count of every word is expected. */
  private static void awaitCounts(Map<String, Long> expected, String what) {
    Map<String, Long> latest = new TreeMap<>();
    try (KafkaConsumer<String, Long> consumer = longConsumer()) {
      List<TopicPartition> all = Clients.partitions("counts", PARTITIONS);
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!latest.equals(expected) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
      }
    }
    Map<String, String> wrong = new TreeMap<>();
    expected.forEach((word, count) -> {
      if (!count.equals(latest.get(word))) {
        wrong.put(word, "expected " + count + ", read " + latest.get(word));
      }
    });
    assertThat(wrong).as("waited %s for %s (seed %s)", WAIT, what, SEED).isEmpty();
  }

  private static List<ConsumerRecord<String, Long>> readAll(String topic) throws Exception {
    Map<TopicPartition, Long> ends = offsets(topic, OffsetSpec.latest());
    List<TopicPartition> partitions = Clients.partitions(topic, PARTITIONS);
    try (KafkaConsumer<String, Long> consumer = longConsumer()) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return Clients.pollUntil(consumer, read -> partitions.stream()
          .allMatch(tp -> consumer.position(tp) >= ends.get(tp)), WAIT);
    }
  }

  private static KafkaConsumer<String, Long> longConsumer() {
    Properties p = node.clientProps();
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", LongDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p);
  }

  private static List<PartitionLog> changelogLogs() {
    List<PartitionLog> logs = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      node.node().logManager().log(new io.rill.broker.log.TopicPartition(CHANGELOG, p))
          .ifPresent(logs::add);
    }
    return logs;
  }

  /** Each partition's offset of {@code spec} (ListOffsets). */
  private static Map<TopicPartition, Long> offsets(String topic, OffsetSpec spec) {
    try {
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(Clients.partitions(topic, PARTITIONS).stream().collect(
          java.util.stream.Collectors.toMap(tp -> tp, tp -> spec))).all()
          .get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s for %s", WAIT, what).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
