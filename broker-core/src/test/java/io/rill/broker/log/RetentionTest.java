package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes whole segments by age and by size; the active segment only by age, only for
 * a delete policy, and by rolling it first so the log keeps its end offset.
 */
class RetentionTest {
  static final TopicPartition TP = new TopicPartition("retained", 0);
  static final long T0 = 1_700_000_000_000L;
  static final int BATCH_BYTES = TestBatches.batch(4, 100, T0, 0).remaining();
  /** A compacted topic takes only keyed records. */
  static final int KEYED_BATCH_BYTES = TestBatches.batch(4, 100, T0, 0, true).remaining();
  @TempDir Path logDir;
  final MockTime time = new MockTime(T0);
  final ManualScheduler scheduler = new ManualScheduler(time);

  PartitionLog open(Map<String, String> overrides) throws Exception {
    return PartitionLog.open(logDir, TP, LogConfig.of(overrides), 0, 0, true, time, scheduler,
        new LogDirFailures());
  }

  @Test
  void segmentsOlderThanRetentionMsAreDeletedOldestFirst() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(2 * BATCH_BYTES),
        LogConfig.RETENTION_MS, "10000", LogConfig.FILE_DELETE_DELAY_MS, "500"));
    for (int i = 0; i < 6; i++) { // three segments of two batches, timestamps 1 s apart
      log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), i), 0);
      time.sleep(1000);
    }
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 8L, 16L);
    assertThat(log.deleteRetainedSegments()).isZero();
    time.sleep(10_000 - 3000 + 1); // first segment's newest batch (T0+1003) is now 10 s old
    assertThat(log.deleteRetainedSegments()).isEqualTo(1);
    assertThat(log.segmentBaseOffsets()).containsExactly(8L, 16L);
    assertThat(log.logStartOffset()).isEqualTo(8);
    time.sleep(100_000); // now the active segment has expired too: rolled, then deleted
    assertThat(log.deleteRetainedSegments()).isEqualTo(2);
    assertThat(log.segmentBaseOffsets()).containsExactly(24L);
    assertThat(log.logEndOffset()).isEqualTo(24);
    assertThat(log.deleteRetainedSegments()).isZero();
    assertThat(logDir.resolve("retained-0/00000000000000000000.log.deleted")).exists();
    scheduler.runDue();
    assertThat(logDir.resolve("retained-0/00000000000000000000.log.deleted")).doesNotExist();
    assertThat(CrashRecoveryTest.readAll(log)).isEmpty();
  }

  @Test
  void anExpiredActiveSegmentOfAQuietTopicIsRolledAndDeleted() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.RETENTION_MS, "10000"));
    for (int i = 0; i < 3; i++) { // one segment: segment.ms (7 days) never rolls it
      log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), i), 0);
    }
    assertThat(log.segmentBaseOffsets()).containsExactly(0L);
    time.sleep(10_003); // the newest record (T0+3) is exactly retention.ms old
    assertThat(log.deleteRetainedSegments()).as("not yet expired").isZero();
    time.sleep(1);
    assertThat(log.deleteRetainedSegments()).isEqualTo(1);
    assertThat(log.segmentBaseOffsets()).containsExactly(12L);
    assertThat(log.logStartOffset()).isEqualTo(12);
    assertThat(log.logEndOffset()).as("the end offset survives").isEqualTo(12);
    assertThat(CrashRecoveryTest.readAll(log)).isEmpty();
    assertThat(log.deleteRetainedSegments()).as("an empty active segment stays").isZero();
    log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), 3), 0);
    assertThat(CrashRecoveryTest.readAll(log)).hasSize(1);
  }

  @Test
  void anExpiredActiveSegmentIsDeletedOnlyWhenTheOlderOnesAreToo() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(2 * BATCH_BYTES),
        LogConfig.RETENTION_MS, "10000"));
    for (int i = 0; i < 3; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), i), 0);
    }
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 8L);
    time.sleep(20_000);
    assertThat(log.deleteRetainedSegments()).isEqualTo(2);
    assertThat(log.segmentBaseOffsets()).containsExactly(12L);
  }

  @Test
  void aCompactTopicKeepsItsExpiredActiveSegment() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.RETENTION_MS, "10000",
        LogConfig.CLEANUP_POLICY, "compact"));
    log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), 0, true), 0);
    time.sleep(100_000);
    assertThat(log.deleteRetainedSegments()).isZero();
    assertThat(CrashRecoveryTest.readAll(log)).hasSize(1);
    log.updateConfig(log.config().with(Map.of(LogConfig.CLEANUP_POLICY, "compact,delete")));
    assertThat(log.deleteRetainedSegments()).isEqualTo(1);
    assertThat(CrashRecoveryTest.readAll(log)).isEmpty();
  }

  /**
   * Kafka applies retention.ms and retention.bytes only to a policy that includes delete: a
   * compacted topic (Connect's internal topics, Streams' changelogs) keeps every segment however
   * old or large, and loses them the moment the policy gains delete.
   */
  @Test
  void aCompactTopicKeepsOldAndOversizedSegmentsUntilItsPolicyIncludesDelete() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES,
        Integer.toString(2 * KEYED_BATCH_BYTES), LogConfig.RETENTION_MS, "10000",
        LogConfig.RETENTION_BYTES, Integer.toString(KEYED_BATCH_BYTES),
        LogConfig.CLEANUP_POLICY, "compact"));
    for (int i = 0; i < 6; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, time.milliseconds(), i, true), 0);
    }
    time.sleep(8L * 24 * 3600 * 1000); // eight days: past retention.ms and Kafka's 7-day default
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 8L, 16L);
    assertThat(log.deleteRetainedSegments()).isZero();
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 8L, 16L);
    assertThat(log.logStartOffset()).isZero();
    assertThat(CrashRecoveryTest.readAll(log)).hasSize(6);
    log.updateConfig(log.config().with(Map.of(LogConfig.CLEANUP_POLICY, "compact,delete")));
    assertThat(log.deleteRetainedSegments()).isEqualTo(3);
    assertThat(CrashRecoveryTest.readAll(log)).isEmpty();
  }

  @Test
  void segmentsBeyondRetentionBytesAreDeletedOldestFirst() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(2 * BATCH_BYTES),
        LogConfig.RETENTION_BYTES, Integer.toString(3 * BATCH_BYTES)));
    for (int i = 0; i < 7; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0, i), 0);
    }
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 8L, 16L, 24L);
    // 7 batches, limit 3: deleting the first two segments leaves 3 batches.
    assertThat(log.deleteRetainedSegments()).isEqualTo(2);
    assertThat(log.segmentBaseOffsets()).containsExactly(16L, 24L);
    assertThat(log.sizeInBytes()).isEqualTo(3L * BATCH_BYTES);
    assertThat(log.logStartOffset()).isEqualTo(16);
  }

  @Test
  void aConfigChangeAppliesToTheNextPass() throws Exception {
    PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(BATCH_BYTES)));
    for (int i = 0; i < 4; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0, i), 0);
    }
    assertThat(log.deleteRetainedSegments()).isZero();
    log.updateConfig(log.config().with(Map.of(LogConfig.RETENTION_BYTES, "0")));
    assertThat(log.deleteRetainedSegments()).isEqualTo(3);
    assertThat(log.segmentCount()).isEqualTo(1);
  }
}
