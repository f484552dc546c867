package io.rill.broker.log;

import static io.rill.broker.log.KeyedRecords.KeyValue;
import static io.rill.broker.log.KeyedRecords.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.RecordBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A compacted log agrees with an in-memory model under random appends (keys from a small space,
 * values, tombstones, idempotent and plain batches), rolls, cleanings with small dedupe buffers
 * (several passes), clock advances, high-watermark moves, truncations above the high watermark
 * and clean and unclean restarts. The model is every record ever appended (minus truncated
 * ones); the rules checked after every step:
 *
 * <ul>
 *   <li>offsets strictly increase and every record read is the one appended at its offset;
 *   <li>each key's latest record is there, unless it is a tombstone first cleaned at least
 *       {@code delete.retention.ms} ago;
 *   <li>every record at or above the furthest point a cleaning reached is there;
 *   <li>right after a completed cleaning, at most one record per key lies below the cleaned
 *       offset.
 * </ul>
 */
class CompactionProperties {
  static final TopicPartition TP = new TopicPartition("compacted", 0);
  static final long T0 = 1_700_000_000_000L;

  @Property(tries = 80)
  void compactedLogAgreesWithTheModel(@ForAll long seed,
      @ForAll @IntRange(min = 10, max = 80) int steps) throws Exception {
    Random random = new Random(seed);
    System.out.println("CompactionProperties seed=" + seed + " steps=" + steps);
    Path logDir = Files.createTempDirectory("rill-compaction-model");
    MockTime time = new MockTime(T0);
    ManualScheduler scheduler = new ManualScheduler(time);
    long deleteRetentionMs = new long[] {0, 50, 1000}[random.nextInt(3)];
    LogConfig config = LogConfig.of(Map.of(
        LogConfig.CLEANUP_POLICY, "compact",
        LogConfig.SEGMENT_BYTES, Integer.toString(300 + random.nextInt(3000)),
        LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(random.nextInt(300)),
        LogConfig.DELETE_RETENTION_MS, Long.toString(deleteRetentionMs),
        LogConfig.FILE_DELETE_DELAY_MS, "0"));
    LogDirFailures failures = new LogDirFailures();
    int keySpace = 1 + random.nextInt(25);
    long[] hw = {0};
    PartitionLog log = PartitionLog.open(logDir, TP, config, 0, 0, true, time, scheduler,
        failures);
    log.bindHighWatermark(() -> hw[0]);
    Model model = new Model();
    Map<Long, Integer> sequences = new HashMap<>();
    try {
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(100);
        if (op < 45) {
          List<KeyValue> kvs = new ArrayList<>();
          for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            kvs.add(new KeyValue("k" + random.nextInt(keySpace),
                random.nextInt(5) == 0 ? null : "v" + step + "-" + i));
          }
          long pid = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : RecordBatch.NO_PRODUCER_ID;
          int sequence = pid < 0 ? -1 : sequences.merge(pid, kvs.size(), Integer::sum)
              - kvs.size();
          var appended = log.appendAsLeader(KeyedRecords.batch(kvs, time.milliseconds(), pid,
              (short) (pid < 0 ? -1 : 0), sequence), 1);
          for (int i = 0; i < kvs.size(); i++) {
            model.records.put(appended.firstOffset() + i, kvs.get(i));
          }
        } else if (op < 55) {
          log.roll();
        } else if (op < 65) {
          hw[0] = hw[0] + (long) (random.nextDouble() * (log.logEndOffset() - hw[0] + 1));
        } else if (op < 80) {
          clean(log, random, time, model);
        } else if (op < 86) {
          time.sleep(random.nextInt(600));
          scheduler.runDue();
        } else if (op < 91 && log.logEndOffset() > hw[0]) {
          long target = hw[0] + (long) (random.nextDouble() * (log.logEndOffset() - hw[0]));
          log.truncateTo(target);
          model.truncatedTo(log.logEndOffset());
        } else if (op < 100) {
          boolean clean = random.nextBoolean();
          long cleaned = log.cleanedOffset();
          if (clean) {
            log.close();
          } else {
            log.flush(); // an unclean stop after fsync: recovery must keep everything
          }
          long recoveryPoint = clean ? log.logEndOffset()
              : random.nextInt((int) log.logEndOffset() + 1);
          log = PartitionLog.open(logDir, TP, config, recoveryPoint, 0, clean, time,
              scheduler, failures);
          log.bindHighWatermark(() -> hw[0]);
          if (cleaned >= 0) {
            log.initCleanedOffset(cleaned); // what the checkpoint carries
          }
        }
        hw[0] = Math.min(hw[0], log.logEndOffset());
        model.check(log, time.milliseconds(), deleteRetentionMs);
      }
    } finally {
      log.close();
      LogManager.deleteRecursively(logDir);
    }
  }

  private static void clean(PartitionLog log, Random random, MockTime time, Model model) {
    long dedupeBytes = 1024 + random.nextInt(4096);
    LogCleaner cleaner = new LogCleaner(new CleanerSettings(true, 1, dedupeBytes,
        Double.MAX_VALUE, 10, 86_400_000L), () -> List.of(log), () -> { }, time);
    Optional<CompactionPass.Stats> stats = cleaner.clean(log);
    assertThat(cleaner.uncleanablePartitions()).isEmpty();
    stats.ifPresent(s -> {
      model.cleaningReached(s.mapEnd(), time.milliseconds());
      if (s.completed()) {
        model.checkCompactedBelow(log);
      }
    });
  }

  /** Every record appended and not truncated, and what cleanings have reached. */
  static final class Model {
    final TreeMap<Long, KeyValue> records = new TreeMap<>();
    /** When a cleaning first reached each record's offset (its delete horizon starts there). */
    final TreeMap<Long, Long> firstCleanedMs = new TreeMap<>();
    long cleaningReach;

    void cleaningReached(long mapEnd, long nowMs) {
      for (long offset : records.headMap(mapEnd).keySet()) {
        firstCleanedMs.putIfAbsent(offset, nowMs);
      }
      cleaningReach = Math.max(cleaningReach, mapEnd);
    }

    void truncatedTo(long logEnd) {
      records.tailMap(logEnd).clear();
      firstCleanedMs.tailMap(logEnd).clear();
      cleaningReach = Math.min(cleaningReach, logEnd);
    }

    void check(PartitionLog log, long nowMs, long deleteRetentionMs) throws Exception {
      List<Stored> read = KeyedRecords.read(log);
      long previous = -1;
      Set<Long> present = new HashSet<>();
      for (Stored r : read) {
        assertThat(r.offset()).as("offsets increase").isGreaterThan(previous);
        previous = r.offset();
        assertThat(records.get(r.offset())).as("record at %s", r.offset())
            .isEqualTo(new KeyValue(r.key(), r.value()));
        present.add(r.offset());
      }
      Map<String, Long> latest = new HashMap<>();
      records.forEach((offset, kv) -> latest.put(kv.key(), offset));
      for (long offset : latest.values()) {
        KeyValue kv = records.get(offset);
        Long cleanedMs = firstCleanedMs.get(offset);
        boolean mayBeGone = kv.tombstone() && cleanedMs != null
            && nowMs >= cleanedMs + deleteRetentionMs;
        if (!mayBeGone) {
          assertThat(present).as("latest record of %s at %s", kv.key(), offset)
              .contains(offset);
        }
      }
      for (long offset : records.tailMap(cleaningReach).keySet()) {
        assertThat(present).as("uncleaned record at %s", offset).contains(offset);
      }
      if (!records.isEmpty()) {
        assertThat(log.logEndOffset()).isEqualTo(records.lastKey() + 1);
      }
    }

    void checkCompactedBelow(PartitionLog log) {
      try {
        Set<String> keys = new HashSet<>();
        for (Stored r : KeyedRecords.read(log)) {
          if (r.offset() < log.cleanedOffset()) {
            assertThat(keys.add(r.key())).as("second record of %s below the cleaned offset %s",
                r.key(), log.cleanedOffset()).isTrue();
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
