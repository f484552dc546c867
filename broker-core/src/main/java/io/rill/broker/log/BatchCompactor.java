package io.rill.broker.log;

import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.record.RecordScanner;
import io.rill.protocol.record.TimestampType;
import java.nio.ByteBuffer;

/**
 * Decides what of one batch survives compaction, and re-builds the batch when some of it goes.
 * Kafka's rules ({@code LogCleaner.shouldRetainRecord} and {@code MemoryRecords.filterTo}):
 *
 * <ul>
 *   <li>A record survives when it has a key and no later record of that key is in the offset
 *       map. A record without a key never survives (a compacted topic cannot place it).
 *   <li>A tombstone (null value) that survives gets a delete horizon: its batch is re-built with
 *       BaseTimestamp = now + {@code delete.retention.ms} and the KIP-534 attribute bit. Once a
 *       batch's horizon has passed, its tombstones go too: by then every older record of their
 *       keys was removed in the cleaning that set the horizon.
 *   <li>A re-built batch keeps its base offset, LastOffsetDelta, partition leader epoch, producer
 *       id, epoch and base sequence, codec and timestamp type; each record keeps its offset
 *       delta and timestamp, so consumers see gaps and the producer's last sequence is intact.
 *   <li>A batch with no survivor is dropped, unless it is the last batch of a producer whose
 *       state is still live: it stays as an empty batch so that producer state rebuilt from the
 *       log keeps deduplicating that producer's retries.
 *   <li>Transactional and control batches are kept untouched (their rules come with
 *       transactions).
 * </ul>
 *
 * <p>Records are read with a {@link RecordScanner} (offset, key, whether there is a value; no
 * allocation), their keys looked up in the map in staged groups ({@link OffsetMap#stage}); only
 * the survivors of a batch that must be re-built are decoded in full.
 *
 * <p>Not thread-safe: one per cleaner thread (it reuses its scanner and survivor arrays).
 */
final class BatchCompactor {
  /** Bound on a re-built batch: it only ever loses records, this only guards the arithmetic. */
  private static final int REBUILT_BATCH_BYTES_MAX = 1 << 30;

  private final RecordScanner scanner = new RecordScanner();
  /** The staged records of the batch at hand, by stage index (see {@link OffsetMap#stage}). */
  private final long[] stagedOffsets = new long[OffsetMap.STAGE_MAX];
  private final int[] stagedPositions = new int[OffsetMap.STAGE_MAX];
  private final boolean[] stagedTombstones = new boolean[OffsetMap.STAGE_MAX];
  private final long[] latestOffsets = new long[OffsetMap.STAGE_MAX];
  /** Where the survivors of the batch at hand lie in the scanner's buffer, in offset order. */
  private int[] survivorPositions = new int[256];
  private int survivors;
  private boolean horizonPassed;
  private boolean tombstoneKept;
  private long mapEnd;
  private int recordsSeen;
  private int recordsKept;

  /**
   * The bytes to write for {@code batch} (its own bytes, or a re-built batch), or null to drop
   * it.
   *
   * @param mapEnd the offset below which the map covers the log (a tombstone below it is
   *     cleaned, and its delete horizon starts)
   * @param producerNeedsIt the batch is the last of a live idempotent producer
   */
  ByteBuffer compact(RecordBatch batch, OffsetMap map, long mapEnd, long nowMs,
      long deleteRetentionMs, boolean producerNeedsIt) {
    recordsSeen = batch.recordCount();
    if (batch.isControl() || batch.isTransactional()) {
      recordsKept = recordsSeen;
      return original(batch);
    }
    horizonPassed = batch.hasDeleteHorizon() && batch.deleteHorizonMs() <= nowMs;
    tombstoneKept = false;
    this.mapEnd = mapEnd;
    survivors = 0;
    RecordScanner records = scanner.reset(batch);
    try {
      while (records.next()) {
        if (!records.hasKey()) {
          continue;
        }
        int i = map.staged();
        stagedOffsets[i] = records.offset();
        stagedPositions[i] = records.recordPosition();
        stagedTombstones[i] = !records.hasValue();
        map.stage(records.buffer(), records.keyPosition(), records.keyLength());
        if (map.stageFull()) {
          settleStaged(map);
        }
      }
      settleStaged(map);
    } finally {
      records.close();
    }
    recordsKept = survivors;
    boolean needsHorizon = tombstoneKept && !batch.hasDeleteHorizon();
    if (survivors == batch.recordCount() && !needsHorizon) {
      return original(batch);
    }
    if (survivors == 0 && !producerNeedsIt) {
      return null;
    }
    long horizonMs = needsHorizon ? saturatedAdd(nowMs, deleteRetentionMs)
        : batch.deleteHorizonMs();
    return rebuild(batch, horizonMs);
  }

  /**
   * Looks up the staged keys and keeps the records that are their key's latest (or are not in
   * the map), dropping tombstones past their horizon.
   */
  private void settleStaged(OffsetMap map) {
    int staged = map.staged();
    map.getStaged(latestOffsets);
    for (int i = 0; i < staged; i++) {
      long offset = stagedOffsets[i];
      if (latestOffsets[i] > offset) {
        continue;
      }
      if (stagedTombstones[i]) {
        if (horizonPassed) {
          continue;
        }
        // Only a mapped tombstone has been cleaned: the older records of its key are gone.
        tombstoneKept |= offset < mapEnd;
      }
      if (survivors == survivorPositions.length) {
        survivorPositions = java.util.Arrays.copyOf(survivorPositions, 2 * survivors);
      }
      survivorPositions[survivors++] = stagedPositions[i];
    }
  }

  int recordsSeen() {
    return recordsSeen;
  }

  int recordsKept() {
    return recordsKept;
  }

  private ByteBuffer rebuild(RecordBatch batch, long horizonMs) {
    RecordBatchBuilder builder = new RecordBatchBuilder()
        .maxBatchBytes(REBUILT_BATCH_BYTES_MAX)
        .compression(batch.compression())
        .baseOffset(batch.baseOffset())
        .partitionLeaderEpoch(batch.partitionLeaderEpoch())
        .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
        .lastOffsetDelta(batch.lastOffsetDelta())
        .emptyBatchTimestamp(batch.maxTimestamp());
    if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
      builder.logAppendTime(Math.max(0, batch.maxTimestamp()));
    }
    if (horizonMs != RecordBatch.NO_TIMESTAMP && survivors > 0) {
      builder.deleteHorizonMs(horizonMs);
    }
    for (int i = 0; i < survivors; i++) {
      Record record = scanner.recordAt(survivorPositions[i]);
      if (!builder.tryAppendAt(record.offsetDelta(), record.timestamp(), record.key(),
          record.value(), record.headers())) { // not Checks.state: it would box per record
        throw new IllegalStateException("record " + record.offset() + " of " + batch
            + " does not fit its re-built batch");
      }
    }
    return builder.build();
  }

  /**
   * An empty batch covering only {@code offset}: written when a cleaned segment would otherwise
   * end before the base offset of the last segment it replaces, so that the cleaned segment's
   * offset range names every segment it replaces (what {@link CleanedSwapRecovery} goes by).
   */
  static ByteBuffer emptyMarker(long offset) {
    return new RecordBatchBuilder().baseOffset(offset).lastOffsetDelta(0).build();
  }

  private static ByteBuffer original(RecordBatch batch) {
    return batch.buffer().duplicate().position(batch.start())
        .limit(batch.start() + batch.sizeInBytes()).slice();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
