package io.rill.chaos.bench;

import io.rill.broker.it.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size of a long-lived broker's {@code __consumer_offsets} under a group that commits every
 * 100 ms (issue 14): one node process at default settings, except that {@code
 * __consumer_offsets} rolls its segment every {@code rill.bench.offsets.segment.ms} (60 s; the
 * cleaner never touches the active segment, and Kafka's 100 MiB segment would take days to fill
 * at this rate). Every 10 s it samples the topic's size on disk (DescribeLogDirs) and its record
 * count; at the end it prints the samples, the largest size and what writing every commit
 * without cleaning would have taken.
 *
 * <p>A benchmark, not a test (left out of {@code mvn verify} by its name). Run it with {@code
 * scripts/bench/offsets-bench.sh [MINUTES]}.
 */
class OffsetsTopicBenchmark {
  private static final Duration START_MAX = Duration.ofSeconds(120);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
  private static final Duration COMMIT_EVERY = Duration.ofMillis(100);
  private static final int PARTITIONS = 8;
  private static final String OFFSETS = "__consumer_offsets";

  @TempDir Path dir;

  @Test
  void run() throws Exception {
    Duration length = Duration.ofMinutes(Long.getLong("rill.bench.minutes", 5));
    String segmentMs = System.getProperty("rill.bench.offsets.segment.ms", "60000");
    try (ProcessCluster cluster = ProcessCluster.builder(dir).nodes(1).defaultSettings()
        .jvmOptions("-Xms256m", "-Xmx1g").build()) {
      cluster.start().awaitStarted(START_MAX);
      Properties common = new Properties();
      common.put("bootstrap.servers", cluster.bootstrap());
      try (Admin admin = Admin.create(common);
          KafkaConsumer<byte[], byte[]> consumer = consumer(cluster.bootstrap())) {
        admin.createTopics(List.of(new NewTopic("orders", PARTITIONS, (short) 1))).all().get();
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          assigned.add(new TopicPartition("orders", p));
        }
        // Manual assignment with a group id: commits go to __consumer_offsets as a group's do.
        consumer.assign(assigned);
        consumer.commitSync(commit(assigned, 0));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
            OFFSETS), List.of(new AlterConfigOp(new ConfigEntry("segment.ms", segmentMs),
            AlterConfigOp.OpType.SET)))).all().get();
        TopicPartition offsetsPartition = offsetsPartitionOf(admin);

        List<String> samples = new ArrayList<>();
        long largest = 0;
        long commits = 0;
        long startNs = System.nanoTime();
        long endNs = startNs + length.toNanos();
        long nextSampleNs = startNs;
        long bytesPerRecord = 0;
        while (System.nanoTime() < endNs) {
          long due = System.nanoTime() + COMMIT_EVERY.toNanos();
          consumer.commitSync(commit(assigned, ++commits));
          if (System.nanoTime() >= nextSampleNs) {
            long size = size(admin, offsetsPartition);
            long records = endOffset(admin, offsetsPartition);
            bytesPerRecord = bytesPerRecord > 0 ? bytesPerRecord : size / Math.max(1, records);
            largest = Math.max(largest, size);
            samples.add(String.format("  %4d s  %7d records written  %9d bytes on disk",
                (System.nanoTime() - startNs) / 1_000_000_000L, records, size));
            nextSampleNs += SAMPLE_EVERY.toNanos();
          }
          long waitNs = due - System.nanoTime();
          if (waitNs > 0) {
            Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000)); // the commit pace
          }
        }
        long records = endOffset(admin, offsetsPartition);
        long finalSize = size(admin, offsetsPartition);
        System.out.println("\n==== OffsetsTopicBenchmark (1 node, default settings,"
            + " __consumer_offsets segment.ms=" + segmentMs + ")");
        System.out.printf("%d commits of %d partitions in %d s (one every %d ms): %d records"
            + " in %s%n", commits, PARTITIONS, length.toSeconds(), COMMIT_EVERY.toMillis(),
            records, offsetsPartition);
        samples.forEach(System.out::println);
        System.out.printf("largest size %d bytes, final %d bytes; uncleaned the records would"
            + " take about %d bytes (%d bytes a record)%n", largest, finalSize,
            records * bytesPerRecord, bytesPerRecord);
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "committer");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static Map<TopicPartition, OffsetAndMetadata> commit(List<TopicPartition> partitions,
      long offset) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (TopicPartition tp : partitions) {
      commit.put(tp, new OffsetAndMetadata(offset));
    }
    return commit;
  }

  /** The one partition of __consumer_offsets that holds data: the group's. */
  private static TopicPartition offsetsPartitionOf(Admin admin) throws Exception {
    Map<TopicPartition, ReplicaInfo> replicas = replicas(admin);
    return replicas.entrySet().stream().filter(e -> e.getValue().size() > 0)
        .map(Map.Entry::getKey).findFirst().orElseThrow();
  }

  private static long size(Admin admin, TopicPartition tp) throws Exception {
    return replicas(admin).get(tp).size();
  }

  private static Map<TopicPartition, ReplicaInfo> replicas(Admin admin) throws Exception {
    Map<TopicPartition, ReplicaInfo> out = new HashMap<>();
    admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1).values()
        .forEach(d -> d.replicaInfos().forEach((tp, info) -> {
          if (tp.topic().equals(OFFSETS)) {
            out.put(tp, info);
          }
        }));
    return out;
  }

  private static long endOffset(Admin admin, TopicPartition tp) throws Exception {
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get()
        .offset();
  }
}
