package io.rill.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A run of consecutive record batches in one buffer: the records field of a produce request or
 * of a fetch response partition, or a slice of a segment.
 *
 * <p>A fetch response may end with a partial batch (the broker cut at max bytes; clients skip
 * it), while a produce request must not. So iteration yields only whole batches and stops at a
 * partial tail, which {@link #hasPartialTrailingBatch()} reports and {@link #requireComplete()}
 * refuses. A header that cannot be a batch at all (length below the 49-byte minimum, magic other
 * than 2) is corruption, not a partial tail: {@link InvalidRecordException}.
 *
 * <p>Iteration checks only framing; call {@link RecordBatch#validate} (CRC) or {@link
 * RecordBatchValidator} on each batch as needed. The view covers the buffer's position..limit
 * at creation and never moves them. Immutable; iterators are not thread-safe.
 */
public final class RecordBatches implements Iterable<RecordBatch> {
  /** Bytes needed to see a batch's length and magic. */
  static final int HEADER_THROUGH_MAGIC = RecordBatch.MAGIC_OFFSET + RecordBatch.MAGIC_LENGTH;

  private final ByteBuffer buffer;
  private final int start;
  private final int limit;

  private RecordBatches(ByteBuffer buffer, int start, int limit) {
    this.buffer = buffer;
    this.start = start;
    this.limit = limit;
  }

  /** The batches in {@code buffer} from its position to its limit. */
  public static RecordBatches of(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    return new RecordBatches(view, view.position(), view.limit());
  }

  public int sizeInBytes() {
    return limit - start;
  }

  /** Size of the whole batches at the front; the rest, if any, is a partial trailing batch. */
  public int completeBytes() {
    int pos = start;
    while (true) {
      int size = completeSizeAt(pos);
      if (size < 0) {
        return pos - start;
      }
      pos += size;
    }
  }

  public boolean hasPartialTrailingBatch() {
    return completeBytes() < sizeInBytes();
  }

  /** For produce requests: every byte must belong to a whole batch. */
  public void requireComplete() {
    int complete = completeBytes();
    if (complete != sizeInBytes()) {
      throw new InvalidRecordException("partial batch: " + (sizeInBytes() - complete)
          + " trailing bytes after " + complete + " bytes of whole batches");
    }
  }

  /** Number of whole batches. */
  public int batchCount() {
    int n = 0;
    for (int pos = start, size; (size = completeSizeAt(pos)) >= 0; pos += size) {
      n++;
    }
    return n;
  }

  /**
   * The size of the whole batch starting at {@code pos}, or -1 if none starts there (end of
   * buffer or a partial batch).
   *
   * @throws InvalidRecordException if the header present is not a batch's
   */
  private int completeSizeAt(int pos) {
    int remaining = limit - pos;
    if (remaining < RecordBatch.LOG_OVERHEAD) {
      return -1;
    }
    int length = buffer.getInt(pos + RecordBatch.LENGTH_OFFSET);
    if (length < RecordBatch.RECORD_BATCH_OVERHEAD - RecordBatch.LOG_OVERHEAD) {
      throw new InvalidRecordException("batch at " + (pos - start) + " has length " + length
          + ", below the minimum of " + (RecordBatch.RECORD_BATCH_OVERHEAD
          - RecordBatch.LOG_OVERHEAD));
    }
    if (remaining >= HEADER_THROUGH_MAGIC) {
      byte magic = buffer.get(pos + RecordBatch.MAGIC_OFFSET);
      if (magic != RecordBatch.MAGIC_V2) {
        throw new InvalidRecordException(
            "batch at " + (pos - start) + " has magic " + magic + "; only 2 is supported");
      }
    }
    // length is at most Integer.MAX_VALUE: compare in long so the total cannot wrap.
    long size = (long) RecordBatch.LOG_OVERHEAD + length;
    return size > remaining ? -1 : (int) size;
  }

  /** Whole batches only; a fresh {@link RecordBatch} view per batch. */
  @Override
  public Iterator<RecordBatch> iterator() {
    return new Iterator<>() {
      private int pos = start;
      private int nextSize = Integer.MIN_VALUE;

      @Override
      public boolean hasNext() {
        if (nextSize == Integer.MIN_VALUE) {
          nextSize = completeSizeAt(pos);
        }
        return nextSize >= 0;
      }

      @Override
      public RecordBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        RecordBatch batch = RecordBatch.at(buffer, pos);
        pos += nextSize;
        nextSize = Integer.MIN_VALUE;
        return batch;
      }
    };
  }
}
