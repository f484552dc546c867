package io.rill.broker.log;

import io.rill.protocol.record.InvalidRecordException;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordIterator;
import io.rill.protocol.record.TimestampType;
import java.nio.ByteBuffer;

/**
 * Checks and stamps the batches of one append in the caller's buffer, between its position and
 * limit. Validation covers what the batch header allows without decompressing: framing, magic,
 * length, record count vs offset delta, CRC-32C, size limits and (for a leader under
 * CreateTime) the timestamp window. Stamping writes offsets and the leader epoch in place
 * (outside the CRC) and, under LogAppendTime, the timestamp type and max timestamp (inside the
 * CRC, which is then recomputed, as Kafka does).
 *
 * <p>Stateless; the caller owns the buffer.
 */
final class AppendBatches {
  private static final short TIMESTAMP_TYPE_FLAG = 0x08;

  private AppendBatches() {}

  /** The shape of a validated append. */
  record Summary(int batchCount, long firstBaseOffset, long lastOffset, long maxTimestamp,
      long recordOffsets, int bytes) {}

  /** How to treat the offsets already in the batches. */
  enum Origin {
    /** A producer's batches: offsets are ours to assign. */
    LEADER,
    /** A follower copying the leader: offsets and epochs are kept and must increase. */
    REPLICATION
  }

  static Summary validate(ByteBuffer buffer, LogConfig config, Origin origin, long nowMs,
      TopicPartition partition) {
    int start = buffer.position();
    int limit = buffer.limit();
    if (start >= limit) {
      throw new InvalidRecordException("append to " + partition + " holds no batches");
    }
    if (limit - start > config.segmentBytes()) {
      throw new RecordTooLargeException("append of " + (limit - start) + " bytes to " + partition
          + " exceeds segment.bytes " + config.segmentBytes());
    }
    RecordBatch batch = RecordBatch.at(buffer, start);
    int count = 0;
    long firstBase = -1;
    long lastOffset = -1;
    long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    long recordOffsets = 0;
    for (int p = start; p < limit; ) {
      int size = RecordBatch.sizeAt(buffer, p, limit);
      if (size < RecordBatch.RECORD_BATCH_OVERHEAD || size > limit - p) {
        throw new InvalidRecordException("batch " + count + " at byte " + (p - start) + " of an "
            + "append to " + partition + " is partial or malformed (size " + size + ")");
      }
      if (size > config.maxMessageBytes()) {
        throw new RecordTooLargeException("batch of " + size + " bytes to " + partition
            + " exceeds max.message.bytes " + config.maxMessageBytes());
      }
      batch.moveTo(buffer, p);
      batch.validate(p + size);
      if (origin == Origin.REPLICATION && count > 0 && batch.baseOffset() <= lastOffset) {
        throw new InvalidRecordException("replicated batch offset " + batch.baseOffset()
            + " does not follow " + lastOffset + " in " + partition);
      }
      if (origin == Origin.LEADER && config.cleanupPolicy().compacts() && !batch.isControl()) {
        requireKeys(batch, partition);
      }
      if (origin == Origin.LEADER && config.messageTimestampType() == TimestampType.CREATE_TIME) {
        checkTimestamp(batch.baseTimestamp(), config, nowMs, partition);
        checkTimestamp(batch.maxTimestamp(), config, nowMs, partition);
      }
      if (count == 0) {
        firstBase = batch.baseOffset();
      }
      lastOffset = batch.lastOffset();
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
      recordOffsets += batch.lastOffsetDelta() + 1L;
      count++;
      p += size;
    }
    return new Summary(count, firstBase, lastOffset, maxTimestamp, recordOffsets, limit - start);
  }

  /** Kafka's rule for compacted topics: every produced record has a key. */
  private static void requireKeys(RecordBatch batch, TopicPartition partition) {
    try (RecordIterator records = batch.records()) {
      while (records.hasNext()) {
        if (!records.next().hasKey()) {
          throw new RecordWithoutKeyException("Compacted topic cannot accept message without key"
              + " in topic partition " + partition + ".");
        }
      }
    }
  }

  private static void checkTimestamp(long timestamp, LogConfig config, long nowMs,
      TopicPartition partition) {
    if (timestamp < 0) {
      return;
    }
    if (nowMs - timestamp > config.messageTimestampBeforeMaxMs()
        || timestamp - nowMs > config.messageTimestampAfterMaxMs()) {
      throw new InvalidTimestampException("timestamp " + timestamp + " of a batch to " + partition
          + " is outside [now - " + config.messageTimestampBeforeMaxMs() + ", now + "
          + config.messageTimestampAfterMaxMs() + "] for now = " + nowMs);
    }
  }

  /**
   * Assigns consecutive offsets from {@code firstOffset} and the leader epoch to every batch,
   * and stamps LogAppendTime when configured.
   *
   * @return the max timestamp of the append after stamping
   */
  static long stampAsLeader(ByteBuffer buffer, long firstOffset, int leaderEpoch,
      TimestampType timestampType, long nowMs) {
    int limit = buffer.limit();
    RecordBatch batch = RecordBatch.at(buffer, buffer.position());
    long offset = firstOffset;
    long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    for (int p = buffer.position(); p < limit; p += batch.sizeInBytes()) {
      batch.moveTo(buffer, p);
      batch.setBaseOffset(offset);
      batch.setPartitionLeaderEpoch(leaderEpoch);
      if (timestampType == TimestampType.LOG_APPEND_TIME) {
        buffer.putShort(p + RecordBatch.ATTRIBUTES_OFFSET,
            (short) (batch.attributes() | TIMESTAMP_TYPE_FLAG));
        buffer.putLong(p + RecordBatch.MAX_TIMESTAMP_OFFSET, nowMs);
        buffer.putInt(p + RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
      }
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
      offset = batch.nextOffset();
    }
    return maxTimestamp;
  }
}
