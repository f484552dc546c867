package io.rill.chaos.storage;

import static io.rill.chaos.storage.KafkaDumpLogIT.assertClean;
import static io.rill.chaos.storage.KafkaDumpLogIT.dump;
import static io.rill.chaos.storage.KafkaDumpLogIT.files;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.CleanerSettings;
import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogManager;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code kafka.tools.DumpLogSegments} reads segments our cleaner rewrote without
 * complaint: re-built batches (records dropped, offsets kept with gaps, gzip re-compressed,
 * KIP-534 delete horizons on tombstone batches, empty batches kept for producer state) deep-
 * iterate, and the rebuilt offset and time indexes pass its sanity check.
 */
class KafkaDumpCleanedLogIT {
  private static final long CLEANED_MAX_MS = 60_000;
  @TempDir Path logDir;

  @Test
  void kafkaDumpLogSegmentsReadsCleanedSegmentsAndTheirIndexes() throws Exception {
    long seed = System.nanoTime();
    System.out.println("KafkaDumpCleanedLogIT seed=" + seed);
    Random random = new Random(seed);
    TopicPartition tp = new TopicPartition("cleaned-dump", 0);
    LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "65536",
        LogConfig.INDEX_INTERVAL_BYTES, "1024", LogConfig.CLEANUP_POLICY, "compact",
        LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01"));
    try (ExecutorScheduler scheduler = new ExecutorScheduler(1)) {
      LogManager manager = new LogManager(List.of(logDir), topic -> config, Time.SYSTEM,
          scheduler, LogManager.Settings.DEFAULT);
      manager.configureCleaner(new CleanerSettings(true, 1, 1 << 20, Double.MAX_VALUE, 20,
          86_400_000L));
      manager.startup();
      PartitionLog log = manager.getOrCreateLog(tp);
      long now = System.currentTimeMillis();
      for (int i = 0; i < 600; i++) {
        int count = 1 + random.nextInt(8);
        SimpleRecord[] batch = new SimpleRecord[count];
        for (int r = 0; r < count; r++) {
          byte[] value = random.nextInt(10) == 0 ? null : new byte[random.nextInt(300)];
          if (value != null) {
            random.nextBytes(value);
          }
          long ts = now - 60_000 + i * 100L + random.nextInt(500) - 250;
          byte[] key = ("k" + random.nextInt(150)).getBytes(StandardCharsets.UTF_8);
          batch[r] = new SimpleRecord(ts, key, value);
        }
        Compression compression = i % 3 == 0 ? Compression.gzip().build() : Compression.NONE;
        ByteBuffer buffer = i % 5 == 0
            ? MemoryRecords.withIdempotentRecords(compression, 42L, (short) 0, i, batch).buffer()
            : MemoryRecords.withRecords(compression, batch).buffer();
        log.appendAsLeader(buffer, 1);
      }
      log.roll();
      long target = log.logEndOffset();
      long deadline = System.currentTimeMillis() + CLEANED_MAX_MS;
      while (log.cleanedOffset() < target) {
        assertThat(System.currentTimeMillis()).as("cleaned up to %s", target).isLessThan(deadline);
        Thread.sleep(20); // a poll interval
      }
      assertThat(manager.cleaner().orElseThrow().uncleanablePartitions()).isEmpty();
      manager.shutdown();
    }
    Path dir = logDir.resolve("cleaned-dump-0");
    List<String> logs = files(dir, ".log");
    String deep = dump("--deep-iteration", "--files", String.join(",", logs));
    assertClean(withoutGapReport(deep));
    assertThat(deep).contains("| offset: ");
    String indexes = String.join(",", files(dir, ".index")) + ","
        + String.join(",", files(dir, ".timeindex"));
    assertClean(dump("--verify-index-only", "--files", indexes));
    String sanity = dump("--index-sanity-check", "--files", indexes);
    assertClean(sanity);
    assertThat(sanity).doesNotContain("fail").contains("passed sanity check");
  }

  /**
   * The output without the tool's list of offset gaps ("Non-consecutive offsets in f" then
   * "  a is followed by b" lines): a compacted log has gaps by design, and Kafka's own cleaned
   * segments are listed the same way. Each listed gap must still go upwards.
   */
  static String withoutGapReport(String output) {
    StringBuilder kept = new StringBuilder();
    for (String line : output.lines().toList()) {
      java.util.regex.Matcher gap =
          java.util.regex.Pattern.compile("^\\s+(\\d+) is followed by (\\d+)$").matcher(line);
      if (gap.matches()) {
        assertThat(Long.parseLong(gap.group(2))).as(line)
            .isGreaterThan(Long.parseLong(gap.group(1)));
      } else if (!line.startsWith("Non-consecutive offsets in ")) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }
}
