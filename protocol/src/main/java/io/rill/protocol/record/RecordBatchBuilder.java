package io.rill.protocol.record;

import io.rill.protocol.compress.BoundedOutputBuffer;
import io.rill.protocol.compress.Compression;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one magic-2 record batch: set the batch fields, append records, {@link #build()}.
 *
 * <p>The records are encoded uncompressed as they are appended; {@code build()} compresses them
 * once, fills in the header (LastOffsetDelta = count - 1, BaseTimestamp = first record's,
 * MaxTimestamp, RecordCount) and the CRC-32C over Attributes .. end.
 *
 * <p>Bounded: the finished batch never exceeds {@link #maxBatchBytes}. {@link #tryAppend}
 * reserves the codec's worst case ({@link Compression#maxCompressedBytes}), so a record that
 * might not fit is refused up front rather than failing at build time. Memory held is at most
 * about twice the maximum.
 *
 * <p>Batch fields may only be set before the first append; nothing after {@code build()}. Not
 * thread-safe.
 */
public final class RecordBatchBuilder {
  /** Default bound on a built batch: Kafka's default max.request.size and message.max.bytes. */
  public static final int DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;
  static final int INITIAL_RECORDS_BYTES = 1024;
  private static final Header[] NO_HEADERS = new Header[0];

  private CompressionType compression = CompressionType.NONE;
  private TimestampType timestampType = TimestampType.CREATE_TIME;
  private long logAppendTime = RecordBatch.NO_TIMESTAMP;
  private long baseOffset;
  private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
  private long producerId = RecordBatch.NO_PRODUCER_ID;
  private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
  private int baseSequence = RecordBatch.NO_SEQUENCE;
  private boolean transactional;
  private boolean control;
  private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
  /** KIP-534 delete horizon, which then is the BaseTimestamp; NO_TIMESTAMP when none. */
  private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;
  /** LastOffsetDelta to write when larger than the last record's (a compacted batch); -1: none. */
  private int lastOffsetDeltaOverride = -1;
  /** BaseTimestamp and MaxTimestamp of a batch built with no record. */
  private long emptyBatchTimestamp = RecordBatch.NO_TIMESTAMP;

  /** Encoded records so far; its limit (maxBatchBytes) is re-derived on the first append. */
  private ByteBuffer records = ByteBuffer.allocate(INITIAL_RECORDS_BYTES);
  private int count;
  /** Offset delta of the last record appended; -1 before the first. */
  private int lastDelta = -1;
  private long baseTimestamp = RecordBatch.NO_TIMESTAMP;
  private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private boolean built;

  public RecordBatchBuilder compression(CompressionType type) {
    checkConfigurable();
    this.compression = type;
    return this;
  }

  /** Stamps LogAppendTime: every record reads as {@code timestamp}, the batch's MaxTimestamp. */
  public RecordBatchBuilder logAppendTime(long timestamp) {
    checkConfigurable();
    Checks.argument(timestamp >= 0, "log append time %s < 0", timestamp);
    this.timestampType = TimestampType.LOG_APPEND_TIME;
    this.logAppendTime = timestamp;
    return this;
  }

  public RecordBatchBuilder baseOffset(long offset) {
    checkConfigurable();
    Checks.argument(offset >= 0, "base offset %s < 0", offset);
    this.baseOffset = offset;
    return this;
  }

  public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
    checkConfigurable();
    this.partitionLeaderEpoch = epoch;
    return this;
  }

  /** Idempotent/transactional producer fields; the defaults (-1) mean none. */
  public RecordBatchBuilder producer(long id, short epoch, int baseSequence) {
    checkConfigurable();
    this.producerId = id;
    this.producerEpoch = epoch;
    this.baseSequence = baseSequence;
    return this;
  }

  /** Sets the transactional attribute bit (records belong to a transaction). */
  public RecordBatchBuilder transactional() {
    checkConfigurable();
    this.transactional = true;
    return this;
  }

  /** Sets the control attribute bit (a transaction marker or other control record). */
  public RecordBatchBuilder control() {
    checkConfigurable();
    this.control = true;
    return this;
  }

  public RecordBatchBuilder maxBatchBytes(int max) {
    checkConfigurable();
    Checks.argument(max >= RecordBatch.RECORD_BATCH_OVERHEAD, "max batch bytes %s too small", max);
    this.maxBatchBytes = max;
    return this;
  }

  /**
   * Stamps a KIP-534 delete horizon: BaseTimestamp becomes {@code horizonMs} (record timestamps
   * are stored relative to it) and the attribute bit tells readers so. The log cleaner's.
   */
  public RecordBatchBuilder deleteHorizonMs(long horizonMs) {
    checkConfigurable();
    Checks.argument(horizonMs >= 0, "delete horizon %s < 0", horizonMs);
    this.deleteHorizonMs = horizonMs;
    return this;
  }

  /**
   * Keeps LastOffsetDelta at {@code delta} whatever records remain: a compacted batch keeps its
   * original offset range, so the producer's last sequence (base sequence + delta) survives.
   * With it a batch may be built with no record at all (Kafka's empty batch).
   */
  public RecordBatchBuilder lastOffsetDelta(int delta) {
    checkConfigurable();
    Checks.argument(delta >= 0, "last offset delta %s < 0", delta);
    this.lastOffsetDeltaOverride = delta;
    return this;
  }

  /** BaseTimestamp and MaxTimestamp of a batch that ends up with no record. */
  public RecordBatchBuilder emptyBatchTimestamp(long timestamp) {
    checkConfigurable();
    this.emptyBatchTimestamp = timestamp;
    return this;
  }

  public int recordCount() {
    return count;
  }

  /** Size of the batch if built uncompressed now. */
  public int uncompressedSizeInBytes() {
    return RecordBatch.RECORD_BATCH_OVERHEAD + records.position();
  }

  public boolean tryAppend(long timestamp, byte[] key, byte[] value) {
    return tryAppend(timestamp, wrap(key), wrap(value), List.of());
  }

  /**
   * Appends a record with the next offset unless the batch could then exceed the maximum.
   * Key, value and header values may be null; their positions are not moved.
   *
   * @return false, appending nothing, if the record might not fit
   */
  public boolean tryAppend(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
    return tryAppendAt(lastDelta + 1, timestamp, key, value, headers);
  }

  /**
   * As {@link #tryAppend}, at an explicit offset delta above the last one: a compacted batch keeps
   * each surviving record's offset, leaving gaps.
   */
  public boolean tryAppendAt(int offsetDelta, long timestamp, ByteBuffer key, ByteBuffer value,
      List<Header> headers) {
    Checks.state(!built, "batch already built");
    // Plain checks, not Checks.argument: its varargs would box on every record appended.
    if (offsetDelta <= lastDelta) {
      throw new IllegalArgumentException("offset delta " + offsetDelta + " is not above the last "
          + lastDelta);
    }
    if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
      throw new IllegalArgumentException("invalid timestamp " + timestamp);
    }
    if (count == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("batch is full at " + count + " records");
    }
    Header[] hs = headers.toArray(NO_HEADERS);
    byte[][] headerKeys = new byte[hs.length][];
    ByteBuffer[] headerValues = new ByteBuffer[hs.length];
    for (int i = 0; i < hs.length; i++) {
      headerKeys[i] = hs[i].key().getBytes(StandardCharsets.UTF_8);
      headerValues[i] = hs[i].value();
    }
    long base = deleteHorizonMs != RecordBatch.NO_TIMESTAMP ? deleteHorizonMs
        : count == 0 ? timestamp : baseTimestamp;
    int bodySize = RecordFormat.sizeOfBody(offsetDelta, timestamp - base,
        key == null ? -1 : key.remaining(), value == null ? -1 : value.remaining(), headerKeys,
        headerValues);
    long recordSize = io.rill.protocol.types.Varints.sizeOfVarint(bodySize) + (long) bodySize;
    long newRecordsSize = records.position() + recordSize;
    if (newRecordsSize > Integer.MAX_VALUE || RecordBatch.RECORD_BATCH_OVERHEAD
        + Compression.maxCompressedBytes(compression, (int) newRecordsSize) > maxBatchBytes) {
      return false;
    }
    ensureCapacity((int) newRecordsSize);
    RecordFormat.write(records, bodySize, offsetDelta, timestamp - base, key, value, headerKeys,
        headerValues);
    if (count == 0) {
      baseTimestamp = base;
    }
    lastDelta = offsetDelta;
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    count++;
    return true;
  }

  /** As {@link #tryAppend}, but a record that does not fit is a caller's bug. */
  public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value,
      List<Header> headers) {
    Checks.state(tryAppend(timestamp, key, value, headers),
        "record does not fit in a batch of at most %s bytes", maxBatchBytes);
    return this;
  }

  public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
    return append(timestamp, wrap(key), wrap(value), List.of());
  }

  /**
   * Finishes the batch: a heap buffer holding exactly it, position 0. At least one record is
   * needed (Kafka's producer never sends an empty batch).
   */
  public ByteBuffer build() {
    Checks.state(!built, "batch already built");
    Checks.state(count > 0 || lastOffsetDeltaOverride >= 0,
        "a batch needs at least one record, or an explicit last offset delta");
    Checks.state(lastOffsetDeltaOverride < 0 || lastOffsetDeltaOverride >= lastDelta,
        "last offset delta %s is below the last record's %s", lastOffsetDeltaOverride, lastDelta);
    built = true;
    ByteBuffer recordBytes = records.flip();
    ByteBuffer batch;
    if (compression == CompressionType.NONE) {
      batch = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD + recordBytes.remaining());
      batch.position(RecordBatch.RECORDS_OFFSET).put(recordBytes).flip();
    } else {
      int bound = (int) (RecordBatch.RECORD_BATCH_OVERHEAD
          + Compression.maxCompressedBytes(compression, recordBytes.remaining()));
      BoundedOutputBuffer out = new BoundedOutputBuffer(
          RecordBatch.RECORD_BATCH_OVERHEAD + recordBytes.remaining() / 2 + 64, bound);
      out.position(RecordBatch.RECORDS_OFFSET);
      Compression.compress(compression, recordBytes, out);
      batch = out.toByteBuffer();
    }
    Checks.state(batch.remaining() <= maxBatchBytes, "built %s bytes, max %s", batch.remaining(),
        maxBatchBytes);
    writeHeader(batch);
    return batch;
  }

  private void writeHeader(ByteBuffer batch) {
    batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset)
        .putInt(RecordBatch.LENGTH_OFFSET, batch.remaining() - RecordBatch.LOG_OVERHEAD)
        .putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch)
        .put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2)
        .putShort(RecordBatch.ATTRIBUTES_OFFSET, attributes())
        .putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET,
            lastOffsetDeltaOverride >= 0 ? lastOffsetDeltaOverride : lastDelta)
        .putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, count == 0 ? emptyBatchTimestamp
            : baseTimestamp)
        .putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, count == 0 ? emptyBatchTimestamp
            : timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp)
        .putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId)
        .putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch)
        .putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence)
        .putInt(RecordBatch.RECORDS_COUNT_OFFSET, count);
    CRC32C crc = new CRC32C();
    crc.update(batch.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
    batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
  }

  private short attributes() {
    int a = compression.id;
    if (timestampType == TimestampType.LOG_APPEND_TIME) {
      a |= RecordBatch.TIMESTAMP_TYPE_MASK;
    }
    if (transactional) {
      a |= RecordBatch.TRANSACTIONAL_FLAG_MASK;
    }
    if (control) {
      a |= RecordBatch.CONTROL_FLAG_MASK;
    }
    if (deleteHorizonMs != RecordBatch.NO_TIMESTAMP && count > 0) {
      a |= RecordBatch.DELETE_HORIZON_FLAG_MASK;
    }
    return (short) a;
  }

  private void ensureCapacity(int needed) {
    if (needed > records.capacity()) {
      int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * records.capacity()));
      // Never hold more than the batch could ever contain.
      grown = Math.min(grown, Math.max(needed, maxBatchBytes));
      ByteBuffer bigger = ByteBuffer.allocate(grown);
      bigger.put(records.flip());
      records = bigger;
    }
  }

  private void checkConfigurable() {
    Checks.state(count == 0 && !built, "batch fields are set before the first record");
  }

  private static ByteBuffer wrap(byte[] bytes) {
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }
}
