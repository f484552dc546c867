package io.rill.broker.log;

import static io.rill.broker.log.KeyedRecords.KeyValue;
import static io.rill.broker.log.KeyedRecords.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's rules, one per test, on real segment files. */
class LogCleanerTest {
  static final long T0 = 1_700_000_000_000L;
  static final TopicPartition TP = new TopicPartition("table", 0);

  @TempDir Path dir;
  final MockTime time = new MockTime(T0);
  final ManualScheduler scheduler = new ManualScheduler(time);
  final LogDirFailures failures = new LogDirFailures();

  static LogConfig compacted(Map<String, String> more) {
    Map<String, String> m = new HashMap<>(Map.of(LogConfig.CLEANUP_POLICY, "compact",
        LogConfig.SEGMENT_BYTES, "100000", LogConfig.INDEX_INTERVAL_BYTES, "100",
        LogConfig.FILE_DELETE_DELAY_MS, "0", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01"));
    m.putAll(more);
    return LogConfig.of(m);
  }

  PartitionLog open(TopicPartition tp, LogConfig config) throws IOException {
    return PartitionLog.open(dir, tp, config, 0, 0, true, time, scheduler, failures);
  }

  LogCleaner cleaner(List<PartitionLog> logs, long dedupeBytes) {
    return new LogCleaner(new CleanerSettings(true, 1, dedupeBytes, Double.MAX_VALUE, 10,
        86_400_000L), () -> logs, () -> { }, time);
  }

  /** Appends one batch per entry of {@code kvs}, rolling after every {@code perSegment}. */
  static void append(PartitionLog log, List<KeyValue> kvs, int perSegment, long timestampMs) {
    for (int i = 0; i < kvs.size(); i++) {
      log.appendAsLeader(KeyedRecords.batch(List.of(kvs.get(i)), timestampMs), 1);
      if ((i + 1) % perSegment == 0) {
        log.roll();
      }
    }
  }

  static Map<String, Stored> latest(List<Stored> records) {
    Map<String, Stored> latest = new LinkedHashMap<>();
    records.forEach(r -> latest.put(r.key(), r));
    return latest;
  }

  @Test
  void keepsTheLatestRecordOfEachKeyAtItsOffsetAndLeavesTheActiveSegmentAlone() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    List<KeyValue> kvs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      kvs.add(new KeyValue("k" + (i % 10), "v" + i));
    }
    append(log, kvs, 50, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("k0", "active")), T0), 1);
    List<Stored> before = KeyedRecords.read(log);

    Optional<CompactionPass.Stats> stats = cleaner(List.of(log), 1 << 20).clean(log);

    assertThat(stats).hasValueSatisfying(s -> assertThat(s.completed()).isTrue());
    List<Stored> after = KeyedRecords.read(log);
    // Below the active segment (base 300) one record per key, its latest, at its own offset.
    assertThat(after.stream().filter(r -> r.offset() < 300).toList())
        .containsExactlyElementsOf(latest(before.stream().filter(r -> r.offset() < 300)
            .toList()).values().stream().sorted((a, b) -> Long.compare(a.offset(), b.offset()))
            .toList());
    assertThat(after.get(after.size() - 1)).isEqualTo(new Stored(300, "k0", "active"));
    assertThat(log.logEndOffset()).isEqualTo(301);
    assertThat(log.cleanedOffset()).isEqualTo(300);
    // Six segments of the dirty section were grouped into one.
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 300L);
  }

  @Test
  void tombstonesStayForDeleteRetentionAfterTheirFirstCleaningThenGo() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of(LogConfig.DELETE_RETENTION_MS, "1000")));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("b", "1"), new KeyValue("a", null),
        new KeyValue("c", "1")), 4, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("d", "1")), T0), 1);
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);

    cleaner.clean(log);
    assertThat(KeyedRecords.read(log)).containsExactly(new Stored(1, "b", "1"),
        new Stored(2, "a", null), new Stored(3, "c", "1"), new Stored(4, "d", "1"));
    RecordBatch tombstoneBatch = RecordBatch.at(KeyedRecords.batches(log).get(1), 0);
    assertThat(tombstoneBatch.deleteHorizonMs()).isEqualTo(T0 + 1000);

    time.sleep(999);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("d", "2")), T0), 1);
    log.roll();
    cleaner.clean(log);
    assertThat(KeyedRecords.read(log)).extracting(Stored::key).contains("a");

    time.sleep(1);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("d", "3")), T0), 1);
    log.roll();
    cleaner.clean(log);
    assertThat(KeyedRecords.read(log)).containsExactly(new Stored(1, "b", "1"),
        new Stored(3, "c", "1"), new Stored(6, "d", "3"));
  }

  @Test
  void aSmallDedupeBufferCleansInSeveralPasses() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    List<KeyValue> kvs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      kvs.add(new KeyValue("k" + (i % 100), "v" + i));
    }
    append(log, kvs, 40, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("x", "x")), T0), 1);
    // 1024 bytes: 42 slots, 37 keys per pass, against 100 keys.
    LogCleaner cleaner = cleaner(List.of(log), 1024);
    int passes = 0;
    while (log.cleanedOffset() < 400) {
      assertThat(cleaner.clean(log)).isPresent();
      passes++;
      assertThat(passes).isLessThan(50);
    }
    assertThat(passes).isGreaterThan(1);
    List<Stored> after = KeyedRecords.read(log);
    assertThat(after).hasSize(101);
    assertThat(after.stream().filter(r -> r.offset() < 400).map(Stored::value))
        .allMatch(v -> Integer.parseInt(v.substring(1)) >= 300);
  }

  @Test
  void theLastBatchOfAProducerStaysAsAnEmptyBatchWithItsSequence() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("a", "1"), new KeyValue("b", "1")),
        T0, 7L, (short) 2, 0), 1);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("a", "2"), new KeyValue("b", "2")),
        T0, 7L, (short) 2, 2), 1);
    log.roll();
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("a", "3"), new KeyValue("b", "3")),
        T0, 8L, (short) 0, 0), 1);
    log.roll();
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);

    cleaner(List.of(log), 1 << 20).clean(log);

    List<ByteBuffer> batches = KeyedRecords.batches(log);
    RecordBatch kept = RecordBatch.at(batches.get(0), 0);
    assertThat(kept.baseOffset()).isEqualTo(2);
    assertThat(kept.recordCount()).isZero();
    assertThat(kept.lastOffset()).isEqualTo(3);
    assertThat(kept.producerId()).isEqualTo(7L);
    assertThat(kept.producerEpoch()).isEqualTo((short) 2);
    assertThat(kept.baseSequence()).isEqualTo(2);
    assertThat(kept.lastSequence()).isEqualTo(3);
    assertThat(KeyedRecords.read(log)).containsExactly(new Stored(4, "a", "3"),
        new Stored(5, "b", "3"), new Stored(6, "z", "z"));
  }

  @Test
  void recordsYoungerThanMinCompactionLagAreNotCleaned() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of(LogConfig.MIN_COMPACTION_LAG_MS, "10000")));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 1, T0);
    append(log, List.of(new KeyValue("a", "3"), new KeyValue("a", "4")), 1, T0 + 20_000);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0 + 20_000), 1);
    time.sleep(15_000);
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);

    cleaner.clean(log);

    assertThat(KeyedRecords.read(log)).extracting(Stored::offset).containsExactly(1L, 2L, 3L, 4L);
    assertThat(log.cleanedOffset()).isEqualTo(2);
  }

  @Test
  void aLogBelowTheDirtyRatioWaitsUnlessMaxCompactionLagHasPassed() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.99",
        LogConfig.MAX_COMPACTION_LAG_MS, "60000")));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 1, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);
    cleaner.clean(log); // all dirty: ratio 1
    append(log, List.of(new KeyValue("a", "3")), 1, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);

    assertThat(cleaner.cleanDirtiest()).isEmpty();
    time.sleep(60_001);
    assertThat(cleaner.cleanDirtiest()).isPresent();
    assertThat(KeyedRecords.read(log)).extracting(Stored::value).containsExactly("z", "3", "z");
  }

  @Test
  void theStatusShowsTheCleanableRatioAndWhenTheLastCleaningEnded() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.99")));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 1, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);
    assertThat(cleaner.status(log)).contains(new CleaningStatus(1.0, CleaningStatus.NEVER, -1,
        false));

    time.sleep(5_000);
    cleaner.clean(log);

    assertThat(cleaner.status(log)).contains(new CleaningStatus(0.0, T0 + 5_000, 2, false));
    append(log, List.of(new KeyValue("a", "3")), 1, T0);
    assertThat(cleaner.status(log)).hasValueSatisfying(st -> assertThat(st.cleanableRatio())
        .isStrictlyBetween(0.0, 1.0));
    PartitionLog plain = open(new TopicPartition("events", 0), LogConfig.of(Map.of()));
    assertThat(cleaner.status(plain)).isEmpty();
  }

  @Test
  void aNewThreadCountRestartsTheThreadsAndANewRateDoesNot() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);
    cleaner.start();
    try {
      assertThat(cleaner.liveThreads()).isEqualTo(1);
      cleaner.reconfigure(new CleanerSettings(true, 3, 1 << 20, Double.MAX_VALUE, 10, 1));
      assertThat(cleaner.liveThreads()).isEqualTo(3);
      Thread first = threadNamed("log-cleaner-0");

      cleaner.reconfigure(new CleanerSettings(true, 3, 1 << 20, 5e6, 10, 1));

      assertThat(threadNamed("log-cleaner-0")).isSameAs(first);
      assertThat(cleaner.settings().ioMaxBytesPerSecond()).isEqualTo(5e6);
      // What the file set and only a restart changes stays.
      assertThat(cleaner.settings().producerIdExpirationMs()).isEqualTo(86_400_000L);
      // The restarted threads still clean.
      append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 2, T0);
      log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (log.cleanedOffset() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5); // a poll interval, not a wait for the condition
      }
      assertThat(log.cleanedOffset()).as("cleaned offset 10 s after the reconfiguration")
          .isEqualTo(2);
    } finally {
      cleaner.shutdown();
    }
    assertThat(cleaner.liveThreads()).isZero();
  }

  /** A gauge of {@code cleaner} read over JMX, as an exporter would (ours even if taken). */
  private static Object gauge(LogCleaner cleaner, String name) throws Exception {
    javax.management.MBeanServer server = java.lang.management.ManagementFactory
        .getPlatformMBeanServer();
    javax.management.ObjectName objectName = new javax.management.ObjectName(name);
    if (server.isRegistered(objectName)) {
      server.unregisterMBean(objectName); // another log manager of this test JVM left it
    }
    try (var metrics = cleaner.registerMetrics()) {
      return server.getAttribute(objectName, "Value");
    }
  }

  private static Thread threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
        .findFirst().orElseThrow();
  }

  @Test
  void aDamagedSegmentMakesItsLogUncleanableAndOthersAreStillCleaned() throws Exception {
    PartitionLog broken = open(new TopicPartition("broken", 0), compacted(Map.of()));
    PartitionLog fine = open(TP, compacted(Map.of()));
    for (PartitionLog log : List.of(broken, fine)) {
      append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 2, T0);
      log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    }
    try (FileChannel ch = FileChannel.open(LogFiles.logFile(broken.dir(), 0),
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 64); // inside the first batch's records
    }
    LogCleaner cleaner = cleaner(List.of(broken, fine), 1 << 20);

    cleaner.cleanDirtiest();
    cleaner.cleanDirtiest();

    assertThat(cleaner.uncleanablePartitions()).containsExactly(broken.partition());
    assertThat(cleaner.status(broken)).hasValueSatisfying(st -> assertThat(st.uncleanable())
        .isTrue());
    assertThat(gauge(cleaner, "kafka.log:type=LogCleanerManager,name=uncleanable-partitions-count"))
        .isEqualTo(1);
    // The last pick chose the fine log, all dirty then.
    assertThat(gauge(cleaner, "kafka.log:type=LogCleanerManager,name=max-dirty-percent"))
        .isEqualTo(100);
    assertThat(cleaner.status(fine)).hasValueSatisfying(st -> assertThat(st.uncleanable())
        .isFalse());
    assertThat(KeyedRecords.read(fine)).extracting(Stored::value).containsExactly("2", "z");
    assertThat(cleaner.cleanDirtiest()).isEmpty();
    assertThat(gauge(cleaner, "kafka.log:type=LogCleanerManager,name=max-dirty-percent"))
        .isEqualTo(0);
  }

  @Test
  void anIoErrorLeavesTheLogAsItWasAndItIsTriedAgainAMinuteLater() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 2, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    List<Stored> before = KeyedRecords.read(log);
    // Where the cleaned copy goes, a directory that cannot be deleted: an I/O error, as a
    // full disk gives, at the start of the copy.
    Path blocker = LogFiles.withSuffix(LogFiles.logFile(log.dir(), 0), LogFiles.CLEANED_SUFFIX);
    Files.createDirectories(blocker.resolve("in-the-way"));
    LogCleaner cleaner = cleaner(List.of(log), 1 << 20);

    assertThat(cleaner.cleanDirtiest()).isEmpty();

    assertThat(KeyedRecords.read(log)).isEqualTo(before);
    assertThat(log.cleanedOffset()).isEqualTo(-1);
    assertThat(cleaner.uncleanablePartitions()).isEmpty();
    Files.delete(blocker.resolve("in-the-way"));
    Files.delete(blocker);
    time.sleep(LogCleaner.IO_RETRY_MS - 1);
    assertThat(cleaner.cleanDirtiest()).as("left alone for a minute").isEmpty();
    time.sleep(1);
    assertThat(cleaner.cleanDirtiest()).isPresent();
    assertThat(KeyedRecords.read(log)).extracting(Stored::value).containsExactly("2", "z");
  }

  @Test
  void aTruncationDuringCleaningVoidsTheSwap() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of()));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2"), new KeyValue("a", "3"),
        new KeyValue("a", "4")), 2, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    PartitionLog.CleanerView view = log.cleanerView().orElseThrow();
    CleanableRange range = CleanableRange.of(log, view, T0).orElseThrow();
    log.truncateTo(3);

    CompactionPass.Stats stats = new CompactionPass(new OffsetMap(1 << 16),
        new CleanerThrottler(Double.MAX_VALUE, time), time, 86_400_000L, () -> false)
        .clean(log, range);

    assertThat(stats.completed()).isFalse();
    assertThat(KeyedRecords.read(log)).extracting(Stored::value).containsExactly("1", "2", "3");
    assertThat(log.cleanedOffset()).isEqualTo(-1);
    try (var files = Files.list(log.dir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap"));
    }
  }

  @Test
  void theCheckpointIsKafkasFormatAndSurvivesARestart() throws Exception {
    LogManager manager = new LogManager(List.of(dir), topic -> compacted(Map.of()), time,
        scheduler, LogManager.Settings.DEFAULT);
    manager.configureCleaner(new CleanerSettings(false, 1, 1 << 20, Double.MAX_VALUE, 10,
        86_400_000L));
    manager.startup();
    PartitionLog log = manager.getOrCreateLog(TP);
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 2, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);
    assertThat(manager.cleaner().orElseThrow().cleanDirtiest()).isPresent();

    assertThat(Files.readAllLines(dir.resolve(LogFiles.CLEANER_OFFSET_CHECKPOINT)))
        .containsExactly("0", "1", "table 0 2");
    // A truncation below the cleaned offset reaches the checkpoint at once, not at the next
    // periodic write: a crash must not bring back the old cleaned offset.
    log.truncateTo(1); // the batch at 1 goes, and with it everything the cleaner kept
    assertThat(log.logEndOffset()).isZero();
    assertThat(Files.readAllLines(dir.resolve(LogFiles.CLEANER_OFFSET_CHECKPOINT)))
        .containsExactly("0", "1", "table 0 0");
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("a", "3")), T0), 1);
    manager.shutdown();
    LogManager again = new LogManager(List.of(dir), topic -> compacted(Map.of()), time,
        scheduler, LogManager.Settings.DEFAULT);
    again.configureCleaner(new CleanerSettings(false, 1, 1 << 20, Double.MAX_VALUE, 10,
        86_400_000L));
    again.startup();
    assertThat(again.log(TP).orElseThrow().cleanedOffset()).isZero();
    again.shutdown();
  }

  @Test
  void aCompactedLogRefusesARecordWithoutAKeyAsKafkaDoes() throws Exception {
    PartitionLog compacted = open(TP, compacted(Map.of()));
    PartitionLog deleting = open(new TopicPartition("events", 0),
        compacted(Map.of(LogConfig.CLEANUP_POLICY, "delete")));
    var keyless = KeyedRecords.batch(List.of(new KeyValue("a", "1"), new KeyValue(null, "2")),
        T0);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> compacted.appendAsLeader(keyless.duplicate(), 1))
        .isInstanceOf(RecordWithoutKeyException.class)
        .hasMessageContaining("without key");
    assertThat(compacted.logEndOffset()).isZero();
    assertThat(deleting.appendAsLeader(keyless.duplicate(), 1).lastOffset()).isEqualTo(1);
  }

  @Test
  void aDeletePolicyLogIsNeverCleaned() throws Exception {
    PartitionLog log = open(TP, compacted(Map.of(LogConfig.CLEANUP_POLICY, "delete")));
    append(log, List.of(new KeyValue("a", "1"), new KeyValue("a", "2")), 2, T0);
    log.appendAsLeader(KeyedRecords.batch(List.of(new KeyValue("z", "z")), T0), 1);

    assertThat(cleaner(List.of(log), 1 << 20).cleanDirtiest()).isEmpty();
    assertThat(KeyedRecords.read(log)).hasSize(3);
  }
}
