package io.rill.chaos.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers append the leader's batches byte for byte: after acknowledged (acks=all) writes of
 * plain and compressed batches over several segments, Kafka's {@code DumpLogSegments} reads each
 * of the three replicas' segments without complaint and prints the same batches (offsets,
 * epochs, CRCs, sizes, positions) and records for all of them.
 */
class ReplicaSegmentsIT {
  @TempDir Path dir;

  @Test
  void everyReplicasSegmentsHoldTheSameBatchesAsKafkaReadsThem() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ReplicaSegmentsIT seed=" + seed);
    Random random = new Random(seed);
    int records = 0;
    try (TestCluster cluster = TestCluster.start(dir, 3, 0, 0, Map.of())) {
      Properties ap = new Properties();
      ap.put("bootstrap.servers", cluster.bootstrap());
      try (Admin admin = Admin.create(ap)) {
        admin.createTopics(List.of(new NewTopic("copied", 1, (short) 3)
            .configs(Map.of("segment.bytes", "1048576", "min.insync.replicas", "3")))).all().get();
      }
      for (String compression : List.of("none", "gzip", "lz4", "none")) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap());
        p.put("acks", "all");
        p.put("compression.type", compression);
        p.put("linger.ms", "5");
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
          for (int i = 0; i < 1500; i++) {
            byte[] value = new byte[random.nextInt(1500)];
            random.nextBytes(value);
            producer.send(new ProducerRecord<>("copied", 0, ("k" + i).getBytes(), value));
            records++;
          }
          producer.flush();
        }
      }
    } // a clean stop of every node: the active segments' indexes are trimmed as Kafka's are
    List<String> dumps = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      Path partition = dir.resolve("node-" + node).resolve("copied-0");
      List<String> logs = KafkaDumpLogIT.files(partition, ".log");
      assertThat(logs).as("segments of node %d", node).hasSizeGreaterThan(2);
      String deep = KafkaDumpLogIT.dump("--deep-iteration", "--files", String.join(",", logs));
      KafkaDumpLogIT.assertClean(deep);
      assertThat(deep.lines().filter(l -> l.contains("| offset: ")).count())
          .as("records on node %d", node).isEqualTo(records);
      String sanity = KafkaDumpLogIT.dump("--index-sanity-check", "--files",
          String.join(",", KafkaDumpLogIT.files(partition, ".index")));
      KafkaDumpLogIT.assertClean(sanity);
      // The same content wherever it lives: drop the lines naming the file.
      dumps.add(deep.lines().filter(l -> !l.startsWith("Dumping ")).map(String::strip)
          .reduce("", (a, b) -> a + b + "\n"));
    }
    assertThat(dumps.get(1)).as("node 2 against node 1").isEqualTo(dumps.get(0));
    assertThat(dumps.get(2)).as("node 3 against node 1").isEqualTo(dumps.get(0));
  }
}
