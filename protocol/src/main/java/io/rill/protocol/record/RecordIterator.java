package io.rill.protocol.record;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.compress.Compression;
import io.rill.protocol.compress.Decompressor;
import io.rill.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Iterates the records of one batch, in order.
 *
 * <p>Uncompressed batches are read in place: each {@link Record}'s key, value and header values
 * are slices of the batch's buffer. Compressed batches stream through a bounded {@link
 * Decompressor}: each record is copied into an array of exactly its size, so the memory held is
 * one record plus the codec's window, and the whole batch never expands past the limit.
 *
 * <p>Checks as it goes, each failure an {@link InvalidRecordException}: every record length fits
 * the bytes left; the batch holds exactly RecordCount records and no byte after the last one
 * (checked when the last record is returned). It does not check the CRC or offset deltas: that
 * is {@link RecordBatch#validate} and {@link RecordBatchValidator}.
 *
 * <p>Close it when stopping early (a compressed batch holds native memory for zstd); it closes
 * itself after the last record. Not thread-safe.
 */
public final class RecordIterator implements Iterator<Record>, AutoCloseable {
  private final RecordBatch batch;
  private final int count;
  /** Uncompressed: a view bounded by the batch end; null when compressed. */
  private final ByteBuffer cursor;
  private final int end;
  /** Compressed: the open source; null when uncompressed or once finished. */
  private Decompressor source;
  private int returned;

  /**
   * Checks that {@code batch} lies whole in its buffer and has a record count a reader can use;
   * returns the count. Readers of a batch's records ({@link RecordScanner} too) call it first.
   */
  static int checkWhole(RecordBatch batch) {
    int start = batch.start();
    int available = batch.buffer().limit() - start;
    if (available < RecordBatch.RECORD_BATCH_OVERHEAD
        || batch.batchLength() < RecordBatch.RECORD_BATCH_OVERHEAD - RecordBatch.LOG_OVERHEAD
        || batch.batchLength() > available - RecordBatch.LOG_OVERHEAD) {
      throw new InvalidRecordException("batch at " + start + " is not complete in its buffer ("
          + available + " bytes available)");
    }
    int count = batch.recordCount();
    if (count < 0) {
      throw new InvalidRecordException("negative record count " + count);
    }
    return count;
  }

  private RecordIterator(RecordBatch batch, int maxDecompressedBytes) {
    ByteBuffer buffer = batch.buffer();
    int start = batch.start();
    this.batch = batch;
    this.count = checkWhole(batch);
    this.end = start + batch.sizeInBytes();
    ByteBuffer records = buffer.duplicate().limit(end).position(start + RecordBatch.RECORDS_OFFSET);
    if (batch.compression() == CompressionType.NONE) {
      this.cursor = records;
    } else {
      this.cursor = null;
      this.source = count == 0
          ? null
          : Compression.decompress(batch.compression(), records.slice(), maxDecompressedBytes);
    }
  }

  /** Iterates {@code batch}, which must lie whole in its buffer (up to the buffer's limit). */
  public static RecordIterator of(RecordBatch batch, int maxDecompressedBytes) {
    return new RecordIterator(batch, maxDecompressedBytes);
  }

  public static RecordIterator of(RecordBatch batch) {
    return of(batch, Compression.DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  @Override
  public boolean hasNext() {
    return returned < count;
  }

  @Override
  public Record next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Record record = cursor != null ? nextInPlace() : nextDecompressed();
    returned++;
    if (returned == count) {
      finish();
    }
    return record;
  }

  private Record nextInPlace() {
    int lengthAt = cursor.position();
    int length;
    try {
      length = Varints.readVarint(cursor);
    } catch (ProtocolException e) {
      throw new InvalidRecordException(
          "record " + returned + " of " + count + ": truncated length", e);
    }
    if (length < 0 || length > end - cursor.position()) {
      throw new InvalidRecordException("record " + returned + " of " + count + " claims "
          + length + " bytes, " + (end - cursor.position()) + " remain in the batch");
    }
    int bodyEnd = cursor.position() + length;
    ByteBuffer body = cursor.duplicate().limit(bodyEnd);
    Record record = RecordFormat.read(body, bodyEnd - lengthAt, batch);
    cursor.position(bodyEnd);
    return record;
  }

  private Record nextDecompressed() {
    if (source == null) {
      throw new IllegalStateException("iterator closed");
    }
    try {
      int length = RecordFormat.readVarint(source);
      if (length < 0 || length > source.remainingBudget()) {
        throw new InvalidRecordException("record " + returned + " of " + count + " claims "
            + length + " bytes, beyond the decompression limit");
      }
      byte[] bytes = new byte[length];
      source.readFully(bytes, 0, length);
      return RecordFormat.read(
          ByteBuffer.wrap(bytes), Varints.sizeOfVarint(length) + length, batch);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** After the last record: no byte may follow it. */
  private void finish() {
    if (cursor != null) {
      if (cursor.position() != end) {
        throw new InvalidRecordException(
            (end - cursor.position()) + " bytes follow the last of " + count + " records");
      }
      return;
    }
    try {
      if (!source.atEnd()) {
        throw new InvalidRecordException(
            "decompressed data continues past the last of " + count + " records");
      }
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    if (source != null) {
      Decompressor s = source;
      source = null;
      s.close();
    }
  }
}
