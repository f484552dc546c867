package io.rill.protocol.record;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.compress.Compression;
import io.rill.protocol.compress.Decompressor;
import io.rill.protocol.types.Varints;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;

/**
 * Deep validation of one batch, for the broker's produce path and for log recovery: the header
 * checks and CRC of {@link RecordBatch#validate}, then every record walked (decompressed if
 * need be) to check that it is well formed, that there are exactly RecordCount of them with
 * nothing after, and that their offset deltas agree with the header.
 *
 * <p>Allocation-light: records are skimmed in place, never materialised; a compressed batch's
 * records pass through one scratch array reused across calls (it grows to the largest record
 * seen, never past the decompression limit). Results of the last call are kept in fields
 * ({@link #recordCount()}, {@link #maxTimestamp()}, ...) rather than returned in a new object.
 *
 * <p>One instance per thread (request handler): not thread-safe.
 */
public final class RecordBatchValidator {
  /** What the offset deltas must look like; depends on where the batch comes from. */
  public enum Source {
    /**
     * A producer's batch: deltas exactly 0..n-1, n = LastOffsetDelta + 1 >= 1, not a control
     * batch (only coordinators write those), and a producer id implies a base sequence.
     */
    PRODUCER,
    /** A stored or replicated batch: compaction may drop records, so deltas strictly increase
     * within 0..LastOffsetDelta. */
    LOG
  }

  static final int INITIAL_SCRATCH_BYTES = 4 * 1024;

  private final int maxDecompressedBytes;
  private byte[] scratch = new byte[INITIAL_SCRATCH_BYTES];

  private int recordCount;
  private long maxTimestamp;
  private int offsetDeltaOfMaxTimestamp;
  private long recordBytes;
  // Per-record results of skim(), kept in fields to avoid an allocation per record.
  private int lastOffsetDelta;
  private long lastTimestampDelta;
  private int previousDelta;

  public RecordBatchValidator(int maxDecompressedBytes) {
    Checks.argument(maxDecompressedBytes >= 0
        && maxDecompressedBytes <= Compression.MAX_DECOMPRESSED_BYTES_LIMIT,
        "maxDecompressedBytes %s out of range", maxDecompressedBytes);
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  public RecordBatchValidator() {
    this(Compression.DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  /**
   * Validates the batch at {@code batch.start()}, which must end by {@code limit}.
   *
   * @throws InvalidRecordException naming the first rule broken
   */
  public void validate(RecordBatch batch, int limit, Source source) {
    batch.validate(limit);
    recordCount = 0;
    maxTimestamp = RecordBatch.NO_TIMESTAMP;
    offsetDeltaOfMaxTimestamp = -1;
    recordBytes = 0;
    int count = batch.recordCount();
    if (source == Source.PRODUCER) {
      checkProducerHeader(batch, count);
    }
    if (batch.isCompressed()) {
      walkCompressed(batch, count, source);
    } else {
      walkInPlace(batch, count, source);
    }
    if (source == Source.PRODUCER && lastOffsetDelta != batch.lastOffsetDelta()) {
      throw new InvalidRecordException("last record has offset delta " + lastOffsetDelta
          + ", header says " + batch.lastOffsetDelta());
    }
  }

  private static void checkProducerHeader(RecordBatch batch, int count) {
    if (count == 0 || count != batch.lastOffsetDelta() + 1) {
      throw new InvalidRecordException("record count " + count
          + " disagrees with offset range 0.." + batch.lastOffsetDelta());
    }
    if (batch.isControl()) {
      throw new InvalidRecordException("producers may not write control batches");
    }
    if (batch.hasProducerId() && batch.baseSequence() < 0) {
      throw new InvalidRecordException("producer id " + batch.producerId()
          + " with invalid base sequence " + batch.baseSequence());
    }
  }

  private void walkInPlace(RecordBatch batch, int count, Source source) {
    int end = batch.start() + batch.sizeInBytes();
    ByteBuffer cursor = batch.buffer().duplicate();
    cursor.limit(end).position(batch.start() + RecordBatch.RECORDS_OFFSET);
    for (int i = 0; i < count; i++) {
      int length = readLength(cursor, i, count);
      if (length > end - cursor.position()) {
        throw new InvalidRecordException("record " + i + " of " + count + " claims " + length
            + " bytes, " + (end - cursor.position()) + " remain in the batch");
      }
      int bodyEnd = cursor.position() + length;
      cursor.limit(bodyEnd);
      skim(cursor);
      cursor.limit(end);
      accept(batch, i, source, Varints.sizeOfVarint(length) + length);
    }
    if (cursor.hasRemaining()) {
      throw new InvalidRecordException(
          cursor.remaining() + " bytes follow the last of " + count + " records");
    }
  }

  private void walkCompressed(RecordBatch batch, int count, Source source) {
    if (count == 0) {
      return;
    }
    ByteBuffer compressed = batch.buffer().duplicate();
    compressed.limit(batch.start() + batch.sizeInBytes())
        .position(batch.start() + RecordBatch.RECORDS_OFFSET);
    try (Decompressor in = Compression.decompress(batch.compression(), compressed,
        maxDecompressedBytes)) {
      for (int i = 0; i < count; i++) {
        int length = RecordFormat.readVarint(in);
        if (length < 0 || length > in.remainingBudget()) {
          throw new InvalidRecordException("record " + i + " of " + count + " claims " + length
              + " bytes, beyond the decompression limit");
        }
        if (scratch.length < length) {
          scratch = new byte[Math.max(length, (int) Math.min(2L * scratch.length,
              maxDecompressedBytes))];
        }
        in.readFully(scratch, 0, length);
        skim(ByteBuffer.wrap(scratch, 0, length));
        accept(batch, i, source, Varints.sizeOfVarint(length) + length);
      }
      if (!in.atEnd()) {
        throw new InvalidRecordException(
            "decompressed data continues past the last of " + count + " records");
      }
    }
  }

  private static int readLength(ByteBuffer cursor, int i, int count) {
    try {
      int length = Varints.readVarint(cursor);
      if (length < 0) {
        throw new InvalidRecordException("record " + i + " has negative length " + length);
      }
      return length;
    } catch (InvalidRecordException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new InvalidRecordException("record " + i + " of " + count + ": truncated length", e);
    }
  }

  /** Checks one record body's structure; sets lastOffsetDelta and lastTimestampDelta. */
  private void skim(ByteBuffer body) {
    try {
      if (body.remaining() < RecordFormat.MIN_BODY_BYTES) {
        throw new InvalidRecordException("record body of " + body.remaining() + " bytes");
      }
      body.get(); // attributes
      lastTimestampDelta = Varints.readVarlong(body);
      lastOffsetDelta = Varints.readVarint(body);
      skipField(body, "key");
      skipField(body, "value");
      int headers = Varints.readVarint(body);
      RecordFormat.checkHeaderCount(headers, body.remaining());
      for (int h = 0; h < headers; h++) {
        int keyLength = Varints.readVarint(body);
        if (keyLength < 0) {
          throw new InvalidRecordException("null header key");
        }
        RecordFormat.checkLength(keyLength, body.remaining(), "header key");
        body.position(body.position() + keyLength);
        skipField(body, "header value");
      }
      if (body.hasRemaining()) {
        throw new InvalidRecordException(
            "record has " + body.remaining() + " bytes past its last header");
      }
    } catch (InvalidRecordException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new InvalidRecordException("malformed record: " + e.getMessage(), e);
    }
  }

  private static void skipField(ByteBuffer body, String what) {
    int length = Varints.readVarint(body);
    RecordFormat.checkLength(length, body.remaining(), what);
    if (length > 0) {
      body.position(body.position() + length);
    }
  }

  /** Checks the record just skimmed against its predecessors and folds it into the results. */
  private void accept(RecordBatch batch, int index, Source source, int sizeInBytes) {
    int delta = lastOffsetDelta;
    boolean ok = source == Source.PRODUCER
        ? delta == index
        : delta >= 0 && delta <= batch.lastOffsetDelta() && (index == 0 || delta > previousDelta);
    if (!ok) {
      throw new InvalidRecordException("record " + index + " has offset delta " + delta
          + (source == Source.PRODUCER ? ", expected " + index
              : " out of order or past last offset delta " + batch.lastOffsetDelta()));
    }
    previousDelta = delta;
    long timestamp = batch.baseTimestamp() + lastTimestampDelta;
    if (index == 0 || timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
      offsetDeltaOfMaxTimestamp = delta;
    }
    recordBytes += sizeInBytes;
    recordCount = index + 1;
  }

  /** Records in the last validated batch. */
  public int recordCount() {
    return recordCount;
  }

  /**
   * Largest CreateTime among the last batch's records (BaseTimestamp + delta), whatever the
   * batch's timestamp type; -1 for an empty batch. The broker compares it with the header's.
   */
  public long maxTimestamp() {
    return maxTimestamp;
  }

  /** Offset delta of the first record holding {@link #maxTimestamp()}; -1 if none. */
  public int offsetDeltaOfMaxTimestamp() {
    return offsetDeltaOfMaxTimestamp;
  }

  /** Uncompressed size of the last batch's records section. */
  public long recordBytes() {
    return recordBytes;
  }
}
