package io.rill.broker.log;

import static io.rill.broker.log.KeyedRecords.KeyValue;
import static io.rill.broker.log.KeyedRecords.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A cleaning killed before each file operation of its swap (kill -9: nothing closed, nothing
 * flushed beyond what the cleaner fsynced) recovers at the next open to the old segments or the
 * new one, never a mix: the log read back equals the log before the cleaning or the log a
 * cleaning that was not killed leaves. With several runs swapped one after the other, every
 * prefix of runs may be new; each key's latest record survives whatever the step.
 */
class CleanerCrashProperties {
  static final TopicPartition TP = new TopicPartition("crash", 0);
  static final long T0 = 1_700_000_000_000L;

  /** Thrown by the swap observer: the process dies there. */
  static final class Killed extends Error {
    Killed(String step) {
      super("killed before " + step);
    }
  }

  @Property(tries = 15)
  void oneRunRecoversToTheOldOrTheNewSegments(@ForAll long seed) throws Exception {
    System.out.println("CleanerCrashProperties one run, seed=" + seed);
    Map<String, String> overrides = Map.of(LogConfig.SEGMENT_BYTES, "1000000");
    List<Stored> after = cleanedWithoutCrash(seed, overrides);
    for (int kill = 0; ; kill++) {
      Path dir = Files.createTempDirectory("rill-crash");
      try {
        Outcome outcome = crashAt(seed, overrides, dir, kill);
        if (!outcome.killed()) {
          assertThat(kill).as("a swap has steps").isGreaterThan(5);
          break;
        }
        assertThat(outcome.recovered()).as("kill before step %s (%s)", kill, outcome.step())
            .satisfiesAnyOf(r -> assertThat(r).isEqualTo(outcome.before()),
                r -> assertThat(r).isEqualTo(after));
        assertNoLeftovers(dir);
      } finally {
        LogManager.deleteRecursively(dir);
      }
    }
  }

  @Property(tries = 10)
  void severalRunsKeepEveryKeysLatestRecord(@ForAll long seed) throws Exception {
    System.out.println("CleanerCrashProperties several runs, seed=" + seed);
    Map<String, String> overrides = Map.of(LogConfig.SEGMENT_BYTES, "2500");
    for (int kill = 0; ; kill++) {
      Path dir = Files.createTempDirectory("rill-crash");
      try {
        Outcome outcome = crashAt(seed, overrides, dir, kill);
        if (!outcome.killed()) {
          break;
        }
        Map<String, Stored> latest = LogCleanerTest.latest(outcome.before());
        assertThat(outcome.before()).containsAll(outcome.recovered());
        assertThat(outcome.recovered()).as("kill before step %s (%s)", kill, outcome.step())
            .containsAll(latest.values());
        assertNoLeftovers(dir);
      } finally {
        LogManager.deleteRecursively(dir);
      }
    }
  }

  record Outcome(boolean killed, String step, List<Stored> before, List<Stored> recovered) {}

  private static LogConfig config(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>(Map.of(LogConfig.CLEANUP_POLICY, "compact",
        LogConfig.INDEX_INTERVAL_BYTES, "200", LogConfig.FILE_DELETE_DELAY_MS, "0"));
    m.putAll(overrides);
    return LogConfig.of(m);
  }

  /** Appends the seed's records: several segments of keyed batches, and an active one. */
  private static PartitionLog filled(long seed, Map<String, String> overrides, Path dir,
      MockTime time) throws Exception {
    Random random = new Random(seed);
    PartitionLog log = PartitionLog.open(dir, TP, config(overrides), 0, 0, true, time,
        new ManualScheduler(time), new LogDirFailures());
    int keys = 1 + random.nextInt(30);
    int batches = 20 + random.nextInt(80);
    for (int b = 0; b < batches; b++) {
      List<KeyValue> kvs = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
        kvs.add(new KeyValue("k" + random.nextInt(keys),
            random.nextInt(6) == 0 ? null : "v" + b + "-" + i));
      }
      log.appendAsLeader(KeyedRecords.batch(kvs, T0), 1);
      if (random.nextInt(8) == 0) {
        log.roll();
      }
    }
    log.roll();
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("last", "x")), T0), 1);
    return log;
  }

  private static LogCleaner cleaner(PartitionLog log, MockTime time) {
    return new LogCleaner(new CleanerSettings(true, 1, 1 << 20, Double.MAX_VALUE, 10,
        86_400_000L), () -> List.of(log), () -> { }, time);
  }

  private static List<Stored> cleanedWithoutCrash(long seed, Map<String, String> overrides)
      throws Exception {
    Path dir = Files.createTempDirectory("rill-crash-reference");
    try {
      MockTime time = new MockTime(T0);
      PartitionLog log = filled(seed, overrides, dir, time);
      cleaner(log, time).clean(log);
      List<Stored> after = KeyedRecords.read(log);
      log.close();
      return after;
    } finally {
      LogManager.deleteRecursively(dir);
    }
  }

  private static Outcome crashAt(long seed, Map<String, String> overrides, Path dir, int kill)
      throws Exception {
    MockTime time = new MockTime(T0);
    PartitionLog log = filled(seed, overrides, dir, time);
    List<Stored> before = KeyedRecords.read(log);
    AtomicInteger steps = new AtomicInteger();
    String[] killedAt = {null};
    log.swapSteps(step -> {
      if (steps.getAndIncrement() == kill) {
        killedAt[0] = step;
        throw new Killed(step);
      }
    });
    try {
      cleaner(log, time).clean(log);
    } catch (Killed e) {
      // The process is gone: its log is abandoned as it is, files open, nothing closed.
    }
    if (killedAt[0] == null) {
      log.close();
      return new Outcome(false, null, before, before);
    }
    long recoveryPoint = new Random(seed + kill).nextInt((int) log.logEndOffset() + 1);
    PartitionLog recovered = PartitionLog.open(dir, TP, config(overrides), recoveryPoint, 0,
        false, time, new ManualScheduler(time), new LogDirFailures());
    try {
      return new Outcome(true, killedAt[0], before, KeyedRecords.read(recovered));
    } finally {
      recovered.close();
    }
  }

  private static void assertNoLeftovers(Path dir) throws Exception {
    try (var files = Files.list(LogFiles.partitionDir(dir, TP))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap")
              || n.endsWith(".deleted"));
    }
  }
}
