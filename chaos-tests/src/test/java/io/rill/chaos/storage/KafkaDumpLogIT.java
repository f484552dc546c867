package io.rill.chaos.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogDirFailures;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.chaos.tools.KafkaTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own {@code kafka.tools.DumpLogSegments} (the kafka-dump-log tool, from the
 * kafka_2.13 jar) reads the {@code .log}, {@code .index} and {@code .timeindex} files our log
 * writes without complaint: every record is deep-iterated, every offset-index entry names the
 * batch ending at its offset, every time-index entry the batch holding its timestamp.
 *
 * <p>Batches come from kafka-clients (an independent writer, plain and gzip); the tool runs in
 * a child JVM on the test classpath so its logging setup stays out of ours.
 */
class KafkaDumpLogIT {
  private static final List<String> COMPLAINTS = List.of("mismatch", "out of order",
      "corrupt", "exception", "non-consecutive", "not found", "error");
  @TempDir Path logDir;

  @Test
  void kafkaDumpLogSegmentsReadsOurSegmentsAndIndexes() throws Exception {
    long seed = System.nanoTime();
    System.out.println("KafkaDumpLogIT seed=" + seed);
    Random random = new Random(seed);
    TopicPartition tp = new TopicPartition("dump-check", 0);
    LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "65536",
        LogConfig.INDEX_INTERVAL_BYTES, "1024"));
    int records = 0;
    try (ExecutorScheduler scheduler = new ExecutorScheduler(1)) {
      PartitionLog log = PartitionLog.open(logDir, tp, config, 0, 0, true, Time.SYSTEM,
          scheduler, new LogDirFailures());
      long now = System.currentTimeMillis();
      for (int i = 0; i < 400; i++) {
        int count = 1 + random.nextInt(8);
        SimpleRecord[] batch = new SimpleRecord[count];
        for (int r = 0; r < count; r++) {
          byte[] value = new byte[random.nextInt(400)];
          random.nextBytes(value);
          // Timestamps wander, so the time index sees both new maxima and older batches.
          long ts = now - 60_000 + i * 100L + random.nextInt(500) - 250;
          batch[r] = new SimpleRecord(ts, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        Compression compression = i % 3 == 0 ? Compression.gzip().build() : Compression.NONE;
        ByteBuffer buffer = MemoryRecords.withRecords(compression, batch).buffer();
        log.appendAsLeader(buffer, 1 + i / 100);
        records += count;
      }
      log.roll();
      log.close();
    }
    Path dir = logDir.resolve("dump-check-0");
    List<String> logs = files(dir, ".log");
    assertThat(logs).hasSizeGreaterThan(3);

    String deep = dump("--deep-iteration", "--files", String.join(",", logs));
    assertClean(deep);
    assertThat(deep.lines().filter(l -> l.contains("| offset: ")).count()).isEqualTo(records);

    String indexes = dump("--verify-index-only", "--files",
        String.join(",", files(dir, ".index")) + "," + String.join(",", files(dir, ".timeindex")));
    assertClean(indexes);

    String sanity = dump("--index-sanity-check", "--files",
        String.join(",", files(dir, ".index")) + "," + String.join(",", files(dir, ".timeindex")));
    assertClean(sanity);
    assertThat(sanity).doesNotContain("fail").contains("passed sanity check");

    String printed = dump("--files", files(dir, ".index").get(0));
    assertThat(printed).contains("offset: ").contains("position: ");
  }

  static void assertClean(String output) {
    for (String line : output.lines().toList()) {
      String lower = line.toLowerCase();
      if (lower.startsWith("slf4j")) {
        continue; // logging-provider notices of the child JVM, not the tool's findings
      }
      for (String complaint : COMPLAINTS) {
        assertThat(lower).as("DumpLogSegments complained:%n%s", output).doesNotContain(complaint);
      }
    }
  }

  static List<String> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(Path::toString).filter(n -> n.endsWith(suffix)).sorted().toList();
    }
  }

  static String dump(String... args) throws Exception {
    KafkaTool run = KafkaTool.run("kafka.tools.DumpLogSegments", List.of(args));
    assertThat(run.exit()).as("DumpLogSegments %s:%n%s", List.of(args), run.output()).isZero();
    return run.output();
  }
}
