package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.broker.log.LogResults.AppendResult;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.protocol.record.InvalidRecordException;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.TimestampType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
  static final TopicPartition TP = new TopicPartition("orders-eu", 3);
  static final long T0 = 1_700_000_000_000L;
  @TempDir Path logDir;
  final MockTime time = new MockTime(T0);
  final ManualScheduler scheduler = new ManualScheduler(time);
  final LogDirFailures failures = new LogDirFailures();

  PartitionLog open(LogConfig config) throws Exception {
    return PartitionLog.open(logDir, TP, config, 0, 0, true, time, scheduler, failures);
  }

  static LogConfig config(String... kv) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return LogConfig.of(map);
  }

  @Test
  void appendAssignsOffsetsAndEpochInPlaceKeepingTheCrc() throws Exception {
    PartitionLog log = open(LogConfig.DEFAULT);
    AppendResult first = log.appendAsLeader(TestBatches.batch(3, 10, T0, 1), 5);
    AppendResult second = log.appendAsLeader(TestBatches.batch(2, 10, T0, 2), 5);
    assertThat(first).isEqualTo(new AppendResult(0, 2, -1, 0));
    assertThat(second).isEqualTo(new AppendResult(3, 4, -1, 0));
    ReadResult read = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true);
    assertThat(TestBatches.decode(read.records()))
        .extracting(TestBatches.Seen::baseOffset, TestBatches.Seen::lastOffset,
            TestBatches.Seen::epoch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 2L, 5),
            org.assertj.core.groups.Tuple.tuple(3L, 4L, 5));
    assertThat(read.logEndOffset()).isEqualTo(5);
    assertThat(log.leaderEpochCache().entries())
        .containsExactly(new LeaderEpochCache.EpochEntry(5, 0));
  }

  @Test
  void appendRejectsCorruptBatchesWithoutWritingAnything() throws Exception {
    PartitionLog log = open(LogConfig.DEFAULT);
    ByteBuffer bad = TestBatches.batch(3, 10, T0, 1);
    bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1));
    assertThatThrownBy(() -> log.appendAsLeader(bad, 0))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("CRC");
    ByteBuffer torn = TestBatches.batch(3, 10, T0, 1);
    torn.limit(torn.limit() - 1);
    assertThatThrownBy(() -> log.appendAsLeader(torn, 0))
        .isInstanceOf(InvalidRecordException.class);
    assertThat(log.logEndOffset()).isZero();
  }

  @Test
  void appendRejectsTimestampsOutsideTheWindowAndOversizedBatches() throws Exception {
    PartitionLog log = open(config(LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, "1000",
        LogConfig.MAX_MESSAGE_BYTES, "500"));
    assertThatThrownBy(() -> log.appendAsLeader(TestBatches.batch(1, 10, T0 - 5000, 1), 0))
        .isInstanceOf(InvalidTimestampException.class);
    assertThatThrownBy(() -> log.appendAsLeader(TestBatches.batch(1, 10, T0 + 7_200_000, 1), 0))
        .isInstanceOf(InvalidTimestampException.class);
    assertThatThrownBy(() -> log.appendAsLeader(TestBatches.batch(1, 1000, T0, 1), 0))
        .isInstanceOf(RecordTooLargeException.class);
  }

  @Test
  void logAppendTimeStampsTheBatchAndRecomputesTheCrc() throws Exception {
    PartitionLog log = open(config(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
    time.sleep(42);
    AppendResult result = log.appendAsLeader(TestBatches.batch(2, 10, 5, 1), 0);
    assertThat(result.logAppendTimeMs()).isEqualTo(T0 + 42);
    ByteBuffer bytes = TestBatches.bytes(log.read(0, 1 << 20, Long.MAX_VALUE, true).records());
    RecordBatch batch = RecordBatch.at(bytes, 0);
    batch.validate(bytes.limit());
    assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    assertThat(batch.maxTimestamp()).isEqualTo(T0 + 42);
  }

  @Test
  void readReturnsWholeBatchesWithinMaxBytesButAlwaysOneWhenAsked() throws Exception {
    PartitionLog log = open(config(LogConfig.INDEX_INTERVAL_BYTES, "100"));
    int size = TestBatches.batch(5, 50, T0, 0).remaining();
    for (int i = 0; i < 10; i++) {
      log.appendAsLeader(TestBatches.batch(5, 50, T0, i), 0);
    }
    assertThat(TestBatches.decode(log.read(12, 2 * size + 10, Long.MAX_VALUE, true).records()))
        .extracting(TestBatches.Seen::baseOffset).containsExactly(10L, 15L);
    assertThat(log.read(12, size - 1, Long.MAX_VALUE, true).records().length()).isEqualTo(size);
    assertThat(log.read(12, size - 1, Long.MAX_VALUE, false).records().length()).isZero();
    assertThat(TestBatches.decode(log.read(12, 1 << 20, 30, true).records()))
        .extracting(TestBatches.Seen::baseOffset).containsExactly(10L, 15L, 20L, 25L);
    assertThat(log.read(50, 1 << 20, Long.MAX_VALUE, true).records().length()).isZero();
    assertThat(log.read(30, 1 << 20, 30, true).records().length()).isZero();
    assertThatThrownBy(() -> log.read(51, 100, Long.MAX_VALUE, true))
        .isInstanceOf(OffsetOutOfRangeException.class)
        .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).logEndOffset()).isEqualTo(50));
  }

  @Test
  void rollsAtSegmentBytesAndReadsAcrossSegments() throws Exception {
    int size = TestBatches.batch(4, 100, T0, 0).remaining();
    PartitionLog log = open(config(LogConfig.SEGMENT_BYTES, Integer.toString(3 * size)));
    for (int i = 0; i < 10; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0, i), 0);
    }
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 12L, 24L, 36L);
    assertThat(Files.exists(logDir.resolve("orders-eu-3/00000000000000000012.log"))).isTrue();
    for (long offset = 0; offset < 40; offset++) {
      List<TestBatches.Seen> seen =
          TestBatches.decode(log.read(offset, 1 << 20, Long.MAX_VALUE, true).records());
      assertThat(seen.get(0).baseOffset()).isEqualTo(offset / 4 * 4);
    }
  }

  @Test
  void rollsWhenTheIndexIsFull() throws Exception {
    // Two offset-index entries (16 bytes) and one time-index entry; one entry per batch.
    PartitionLog log = open(config(LogConfig.SEGMENT_INDEX_BYTES, "16",
        LogConfig.INDEX_INTERVAL_BYTES, "1"));
    for (int i = 0; i < 8; i++) {
      log.appendAsLeader(TestBatches.batch(1, 10, T0 + i, i), 0);
    }
    assertThat(log.segmentCount()).isGreaterThan(2);
    for (long offset = 0; offset < 8; offset++) {
      assertThat(TestBatches.decode(log.read(offset, 1, Long.MAX_VALUE, true).records()).get(0)
          .baseOffset()).isEqualTo(offset);
    }
  }

  @Test
  void rollsWhenARelativeOffsetWouldOverflow() throws Exception {
    PartitionLog log = open(LogConfig.DEFAULT);
    ByteBuffer first = TestBatches.batch(1, 10, T0, 0);
    log.appendAsFollower(first);
    ByteBuffer far = TestBatches.batch(1, 10, T0, 1);
    long farOffset = (long) Integer.MAX_VALUE + 10;
    RecordBatch.at(far, 0).setBaseOffset(farOffset);
    log.appendAsFollower(far);
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, farOffset);
    assertThat(log.logEndOffset()).isEqualTo(farOffset + 1);
    assertThat(TestBatches.decode(log.read(5, 1 << 20, Long.MAX_VALUE, true).records()))
        .extracting(TestBatches.Seen::baseOffset).containsExactly(farOffset);
  }

  @Test
  void rollsAfterSegmentMs() throws Exception {
    PartitionLog log = open(config(LogConfig.SEGMENT_MS, "1000"));
    log.appendAsLeader(TestBatches.batch(1, 10, T0, 0), 0);
    time.sleep(500);
    log.appendAsLeader(TestBatches.batch(1, 10, time.milliseconds(), 1), 0);
    assertThat(log.segmentCount()).isEqualTo(1);
    time.sleep(600);
    log.appendAsLeader(TestBatches.batch(1, 10, time.milliseconds(), 2), 0);
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
  }

  @Test
  void truncateDropsBatchesAtOrPastTheTargetAndTheirSegments() throws Exception {
    int size = TestBatches.batch(4, 100, T0, 0).remaining();
    PartitionLog log = open(config(LogConfig.SEGMENT_BYTES, Integer.toString(3 * size),
        LogConfig.INDEX_INTERVAL_BYTES, "1"));
    for (int i = 0; i < 10; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0, i), i / 3);
    }
    log.truncateTo(26); // batch 24..27 straddles: dropped whole
    assertThat(log.logEndOffset()).isEqualTo(24);
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 12L, 24L);
    // Epoch 2 began at offset 24, which is gone.
    assertThat(log.leaderEpochCache().entries()).extracting(LeaderEpochCache.EpochEntry::epoch)
        .containsExactly(0, 1);
    log.truncateTo(12);
    assertThat(log.logEndOffset()).isEqualTo(12);
    assertThat(log.segmentBaseOffsets()).containsExactly(0L, 12L);
    AppendResult next = log.appendAsLeader(TestBatches.batch(4, 100, T0, 99), 7);
    assertThat(next.firstOffset()).isEqualTo(12);
    assertThat(TestBatches.decode(log.read(0, 1 << 20, Long.MAX_VALUE, true).records()))
        .hasSize(3);
  }

  @Test
  void deleteRecordsBeforeRaisesTheLogStartAndDeletesWholeSegments() throws Exception {
    int size = TestBatches.batch(4, 100, T0, 0).remaining();
    PartitionLog log = open(config(LogConfig.SEGMENT_BYTES, Integer.toString(3 * size),
        LogConfig.FILE_DELETE_DELAY_MS, "1000"));
    for (int i = 0; i < 10; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0, i), 0);
    }
    assertThat(log.deleteRecordsBefore(14)).isEqualTo(14);
    assertThat(log.segmentBaseOffsets()).containsExactly(12L, 24L, 36L);
    assertThatThrownBy(() -> log.read(13, 100, Long.MAX_VALUE, true))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(TestBatches.decode(log.read(14, 1, Long.MAX_VALUE, true).records()).get(0)
        .baseOffset()).isEqualTo(12);
    Path deleted = logDir.resolve("orders-eu-3/00000000000000000000.log.deleted");
    assertThat(deleted).exists();
    time.sleep(1000);
    scheduler.runDue();
    assertThat(deleted).doesNotExist();
    assertThat(log.offsetForTimestamp(PartitionLog.EARLIEST_TIMESTAMP).orElseThrow().offset())
        .isEqualTo(14);
  }

  @Test
  void listOffsetsFindsEarliestLatestMaxAndByTimestamp() throws Exception {
    PartitionLog log = open(config(LogConfig.INDEX_INTERVAL_BYTES, "1",
        LogConfig.SEGMENT_BYTES, "2000"));
    long[] timestamps = {100, 300, 200, 400, 500, 450, 600, 700};
    for (int i = 0; i < timestamps.length; i++) {
      log.appendAsLeader(TestBatches.batch(2, 200, T0 + timestamps[i], i), 1);
    }
    assertThat(log.segmentCount()).isGreaterThan(1);
    assertThat(log.offsetForTimestamp(PartitionLog.EARLIEST_TIMESTAMP)).hasValue(
        new TimestampOffset(-1, 0, 1));
    assertThat(log.offsetForTimestamp(PartitionLog.LATEST_TIMESTAMP)).hasValue(
        new TimestampOffset(-1, 16, 1));
    assertThat(log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP)).hasValue(
        new TimestampOffset(T0 + 701, 15, 1));
    // Batch max timestamps are ts+1: the first batch reaching T0+250 is the one at offset 2.
    assertThat(log.offsetForTimestamp(T0 + 250).orElseThrow().offset()).isEqualTo(2);
    // In offset order the batch at 8 (max T0+501) reaches T0+451 before the one at 10.
    assertThat(log.offsetForTimestamp(T0 + 451).orElseThrow().offset()).isEqualTo(8);
    // Resolution is the record, as in Kafka: the batch at 12 holds T0+600 and T0+601.
    assertThat(log.offsetForTimestamp(T0 + 601).orElseThrow().offset()).isEqualTo(13);
    assertThat(log.offsetForTimestamp(T0).orElseThrow().offset()).isEqualTo(0);
    assertThat(log.offsetForTimestamp(T0 + 702)).isEmpty();
  }

  @Test
  void flushAdvancesTheRecoveryPointAndFlushMessagesFlushesByItself() throws Exception {
    PartitionLog log = open(config(LogConfig.FLUSH_MESSAGES, "5"));
    log.appendAsLeader(TestBatches.batch(3, 10, T0, 0), 0);
    assertThat(log.recoveryPoint()).isZero();
    log.appendAsLeader(TestBatches.batch(3, 10, T0, 1), 0);
    assertThat(log.recoveryPoint()).isEqualTo(6);
    log.appendAsLeader(TestBatches.batch(3, 10, T0, 2), 0);
    log.flush(7);
    assertThat(log.recoveryPoint()).isEqualTo(7);
    PartitionLog timed = PartitionLog.open(logDir, new TopicPartition("t", 0),
        config(LogConfig.FLUSH_MS, "1000"), 0, 0, true, time, scheduler, failures);
    timed.appendAsLeader(TestBatches.batch(3, 10, T0, 0), 0);
    timed.flushIfDue();
    assertThat(timed.recoveryPoint()).isZero();
    time.sleep(1000);
    timed.flushIfDue();
    assertThat(timed.recoveryPoint()).isEqualTo(3);
  }

  @Test
  void cleanReopenKeepsEverythingAndTrimsIndexes() throws Exception {
    int size = TestBatches.batch(4, 100, T0, 0).remaining();
    LogConfig config = config(LogConfig.SEGMENT_BYTES, Integer.toString(3 * size),
        LogConfig.INDEX_INTERVAL_BYTES, "1");
    PartitionLog log = open(config);
    for (int i = 0; i < 10; i++) {
      log.appendAsLeader(TestBatches.batch(4, 100, T0 + i, i), i);
    }
    List<TestBatches.Seen> before =
        TestBatches.decode(log.read(0, 1 << 20, Long.MAX_VALUE, true).records());
    log.close();
    assertThat(Files.size(logDir.resolve("orders-eu-3/00000000000000000000.index")))
        .isEqualTo(2 * OffsetIndex.ENTRY_SIZE);
    PartitionLog reopened = open(config);
    assertThat(reopened.logEndOffset()).isEqualTo(40);
    assertThat(TestBatches.decode(reopened.read(0, 1 << 20, Long.MAX_VALUE, true).records()))
        .isEqualTo(before);
    assertThat(reopened.leaderEpochCache().entries()).hasSize(10);
    assertThat(reopened.appendAsLeader(TestBatches.batch(1, 1, T0, 0), 10).firstOffset())
        .isEqualTo(40);
  }

  @Test
  void followerAppendKeepsOffsetsAndEpochsAndRejectsGoingBackwards() throws Exception {
    PartitionLog log = open(LogConfig.DEFAULT);
    ByteBuffer batch = TestBatches.batch(3, 10, T0, 0);
    RecordBatch.at(batch, 0).setBaseOffset(10);
    RecordBatch.at(batch, 0).setPartitionLeaderEpoch(4);
    log.appendAsFollower(batch);
    assertThat(log.logEndOffset()).isEqualTo(13);
    assertThat(log.leaderEpochCache().endOffsetFor(4, log.logEndOffset()))
        .isEqualTo(new LeaderEpochCache.EpochEndOffset(4, 13));
    ByteBuffer old = TestBatches.batch(1, 10, T0, 0);
    RecordBatch.at(old, 0).setBaseOffset(12);
    assertThatThrownBy(() -> log.appendAsFollower(old))
        .isInstanceOf(InvalidRecordException.class);
  }
}
