package io.rill.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A flyweight view of one record batch of magic 2 over a {@link ByteBuffer}. It never copies,
 * decompresses or allocates per record; it reads header fields in place and validates the CRC
 * over the bytes where they lie.
 *
 * <pre>
 * RecordBatch =>
 *   BaseOffset            int64   offset of the first record; assigned by the broker
 *   BatchLength           int32   bytes after this field: total size = LOG_OVERHEAD + BatchLength
 *   PartitionLeaderEpoch  int32   assigned by the broker; outside the CRC
 *   Magic                 int8    = 2
 *   CRC                   uint32  CRC-32C of Attributes .. end of batch
 *   Attributes            int16   bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control,
 *                                 6 delete horizon
 *   LastOffsetDelta       int32   last record's offset minus BaseOffset
 *   BaseTimestamp         int64
 *   MaxTimestamp          int64
 *   ProducerId            int64   -1 when not idempotent
 *   ProducerEpoch         int16
 *   BaseSequence          int32   -1 when not idempotent
 *   RecordCount           int32
 *   Records               [Record] possibly compressed
 * </pre>
 *
 * <p>Because BaseOffset and PartitionLeaderEpoch lie before the CRC'd range, the broker assigns
 * both in place ({@link #setBaseOffset}, {@link #setPartitionLeaderEpoch}) and the producer's
 * CRC stays valid: the batch is stored exactly as received.
 *
 * <p>Not thread-safe; a view is cheap, so make one per thread. Header accessors need only the
 * first {@link #RECORD_BATCH_OVERHEAD} bytes to be present; {@link #validate} needs the whole
 * batch.
 */
public final class RecordBatch {
  public static final int BASE_OFFSET_OFFSET = 0;
  public static final int BASE_OFFSET_LENGTH = 8;
  public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + BASE_OFFSET_LENGTH;
  public static final int LENGTH_LENGTH = 4;
  /** Bytes before the BatchLength-counted part: BaseOffset and BatchLength. */
  public static final int LOG_OVERHEAD = LENGTH_OFFSET + LENGTH_LENGTH;
  public static final int PARTITION_LEADER_EPOCH_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
  public static final int PARTITION_LEADER_EPOCH_LENGTH = 4;
  public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + PARTITION_LEADER_EPOCH_LENGTH;
  public static final int MAGIC_LENGTH = 1;
  public static final int CRC_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
  public static final int CRC_LENGTH = 4;
  public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + CRC_LENGTH;
  public static final int ATTRIBUTE_LENGTH = 2;
  public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTE_LENGTH;
  public static final int LAST_OFFSET_DELTA_LENGTH = 4;
  public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + LAST_OFFSET_DELTA_LENGTH;
  public static final int BASE_TIMESTAMP_LENGTH = 8;
  public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + BASE_TIMESTAMP_LENGTH;
  public static final int MAX_TIMESTAMP_LENGTH = 8;
  public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + MAX_TIMESTAMP_LENGTH;
  public static final int PRODUCER_ID_LENGTH = 8;
  public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + PRODUCER_ID_LENGTH;
  public static final int PRODUCER_EPOCH_LENGTH = 2;
  public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + PRODUCER_EPOCH_LENGTH;
  public static final int BASE_SEQUENCE_LENGTH = 4;
  public static final int RECORDS_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
  public static final int RECORDS_COUNT_LENGTH = 4;
  public static final int RECORDS_OFFSET = RECORDS_COUNT_OFFSET + RECORDS_COUNT_LENGTH;
  /** Size of a batch holding no records: 61 bytes. */
  public static final int RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;

  public static final byte MAGIC_V2 = 2;
  public static final long NO_PRODUCER_ID = -1L;
  public static final short NO_PRODUCER_EPOCH = -1;
  public static final int NO_SEQUENCE = -1;
  public static final int NO_PARTITION_LEADER_EPOCH = -1;
  public static final long NO_TIMESTAMP = -1L;

  static final int COMPRESSION_CODEC_MASK = 0x07;
  static final int TIMESTAMP_TYPE_MASK = 0x08;
  static final int TRANSACTIONAL_FLAG_MASK = 0x10;
  static final int CONTROL_FLAG_MASK = 0x20;
  /** KIP-534: BaseTimestamp holds the time after which the cleaner may drop tombstones. */
  static final int DELETE_HORIZON_FLAG_MASK = 0x40;

  private ByteBuffer buffer;
  private int start;

  private RecordBatch(ByteBuffer buffer, int start) {
    this.buffer = buffer;
    this.start = start;
  }

  /** A view of the batch starting at absolute position {@code start} of {@code buffer}. */
  public static RecordBatch at(ByteBuffer buffer, int start) {
    return new RecordBatch(buffer, start);
  }

  /** Re-points this view at another batch, so a scan over many batches allocates nothing. */
  public RecordBatch moveTo(ByteBuffer buffer, int start) {
    this.buffer = buffer;
    this.start = start;
    return this;
  }

  /**
   * The total size of the batch that starts at {@code start}, or -1 if fewer than {@link
   * #LOG_OVERHEAD} bytes remain up to {@code limit}. The result is not checked against the
   * buffer: callers decide whether a batch running past the limit is torn or merely partial.
   */
  public static int sizeAt(ByteBuffer buffer, int start, int limit) {
    if (limit - start < LOG_OVERHEAD) {
      return -1;
    }
    return LOG_OVERHEAD + buffer.getInt(start + LENGTH_OFFSET);
  }

  public int start() {
    return start;
  }

  public ByteBuffer buffer() {
    return buffer;
  }

  public long baseOffset() {
    return buffer.getLong(start + BASE_OFFSET_OFFSET);
  }

  public int batchLength() {
    return buffer.getInt(start + LENGTH_OFFSET);
  }

  /** Total bytes of this batch including BaseOffset and BatchLength. */
  public int sizeInBytes() {
    return LOG_OVERHEAD + batchLength();
  }

  public int partitionLeaderEpoch() {
    return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
  }

  public byte magic() {
    return buffer.get(start + MAGIC_OFFSET);
  }

  /** The stored CRC as an unsigned 32-bit value. */
  public long checksum() {
    return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
  }

  public short attributes() {
    return buffer.getShort(start + ATTRIBUTES_OFFSET);
  }

  public boolean isCompressed() {
    return (attributes() & COMPRESSION_CODEC_MASK) != 0;
  }

  /**
   * Iterates this batch's records (see {@link RecordIterator}: in place when uncompressed,
   * streamed and bounded by {@link io.rill.protocol.compress.Compression#DEFAULT_MAX_DECOMPRESSED_BYTES}
   * otherwise). The batch must lie whole in the buffer. Close the iterator if you stop early.
   */
  public RecordIterator records() {
    return RecordIterator.of(this);
  }

  /** As {@link #records()}, with a caller-chosen cap on the decompressed size. */
  public RecordIterator records(int maxDecompressedBytes) {
    return RecordIterator.of(this, maxDecompressedBytes);
  }

  public CompressionType compression() {
    return CompressionType.forId(attributes() & COMPRESSION_CODEC_MASK);
  }

  public TimestampType timestampType() {
    return (attributes() & TIMESTAMP_TYPE_MASK) == 0
        ? TimestampType.CREATE_TIME
        : TimestampType.LOG_APPEND_TIME;
  }

  public boolean isTransactional() {
    return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
  }

  public boolean isControl() {
    return (attributes() & CONTROL_FLAG_MASK) != 0;
  }

  /** Whether the log cleaner stamped a delete horizon into BaseTimestamp (KIP-534). */
  public boolean hasDeleteHorizon() {
    return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
  }

  /** The delete horizon (ms since the epoch), or {@link #NO_TIMESTAMP} when none is set. */
  public long deleteHorizonMs() {
    return hasDeleteHorizon() ? baseTimestamp() : NO_TIMESTAMP;
  }

  public int lastOffsetDelta() {
    return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
  }

  public long lastOffset() {
    return baseOffset() + lastOffsetDelta();
  }

  /** The offset after this batch's last record. */
  public long nextOffset() {
    return lastOffset() + 1;
  }

  public long baseTimestamp() {
    return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
  }

  public long maxTimestamp() {
    return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
  }

  public long producerId() {
    return buffer.getLong(start + PRODUCER_ID_OFFSET);
  }

  public short producerEpoch() {
    return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
  }

  public int baseSequence() {
    return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
  }

  /** The sequence of the last record, wrapping at Integer.MAX_VALUE as Kafka does. */
  public int lastSequence() {
    int base = baseSequence();
    if (base == NO_SEQUENCE) {
      return NO_SEQUENCE;
    }
    long last = (long) base + lastOffsetDelta();
    return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
  }

  public boolean hasProducerId() {
    return producerId() != NO_PRODUCER_ID;
  }

  public int recordCount() {
    return buffer.getInt(start + RECORDS_COUNT_OFFSET);
  }

  /** Assigns the batch's offsets in place; outside the CRC, so the CRC stays valid. */
  public void setBaseOffset(long baseOffset) {
    buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
  }

  /** Stamps the leader epoch in place; outside the CRC, so the CRC stays valid. */
  public void setPartitionLeaderEpoch(int epoch) {
    buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
  }

  /** CRC-32C over Attributes .. end of batch, as computed now. Needs the whole batch. */
  public long computeChecksum() {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buffer.duplicate();
    view.limit(start + sizeInBytes()).position(start + ATTRIBUTES_OFFSET);
    crc.update(view);
    return crc.getValue();
  }

  /**
   * Checks everything that can be checked without decompressing: that the whole batch lies in
   * the buffer up to {@code limit}, magic 2, a sane length, a record count that agrees with the
   * offset delta, and the CRC.
   *
   * @throws InvalidRecordException naming the first rule broken
   */
  public void validate(int limit) {
    int available = limit - start;
    if (available < RECORD_BATCH_OVERHEAD) {
      throw new InvalidRecordException(
          "batch header needs " + RECORD_BATCH_OVERHEAD + " bytes, only " + available + " remain");
    }
    if (magic() != MAGIC_V2) {
      throw new InvalidRecordException("unsupported magic " + magic() + " (only 2 is served)");
    }
    int length = batchLength();
    if (length < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      throw new InvalidRecordException("batch length " + length + " is below the minimum");
    }
    if (length > available - LOG_OVERHEAD) {
      throw new InvalidRecordException(
          "batch length " + length + " runs past the " + available + " bytes available");
    }
    int count = recordCount();
    if (count < 0) {
      throw new InvalidRecordException("negative record count " + count);
    }
    if (lastOffsetDelta() < 0) {
      throw new InvalidRecordException("negative last offset delta " + lastOffsetDelta());
    }
    // Freshly produced batches hold every offset from base to last; compaction may leave
    // fewer records than the delta suggests, but never more.
    if (count > lastOffsetDelta() + 1) {
      throw new InvalidRecordException(
          "record count " + count + " exceeds last offset delta " + lastOffsetDelta() + " + 1");
    }
    long stored = checksum();
    long computed = computeChecksum();
    if (stored != computed) {
      throw new InvalidRecordException(
          String.format("CRC mismatch: stored %08x, computed %08x", stored, computed));
    }
  }

  @Override
  public String toString() {
    return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffsetDelta=" + lastOffsetDelta()
        + ", size=" + sizeInBytes() + ", count=" + recordCount() + ", producerId=" + producerId()
        + ", epoch=" + producerEpoch() + ", baseSequence=" + baseSequence() + ")";
  }
}
