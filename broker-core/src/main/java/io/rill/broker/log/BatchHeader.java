package io.rill.broker.log;

import io.rill.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the fixed header of the batch at a file position into a small reusable buffer: what
 * offset lookups and read-bound scans need, without reading record data. Not thread-safe; one
 * per call chain.
 */
final class BatchHeader {
  /** Direct, so a positional read lands without the JDK's bounce-buffer copy. */
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(RecordBatch.RECORD_BATCH_OVERHEAD);
  private final RecordBatch view = RecordBatch.at(buffer, 0);
  private int position = -1;

  /**
   * Loads the header of the batch at {@code position}, reading no further than {@code limit}.
   *
   * @return false when fewer than a whole header lies before {@code limit}, or the batch it
   *     describes would run past {@code limit} or is shorter than a header
   */
  boolean load(FileChannel channel, int position, int limit) throws IOException {
    this.position = -1;
    if ((long) limit - position < RecordBatch.RECORD_BATCH_OVERHEAD) {
      return false;
    }
    buffer.clear();
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        return false;
      }
    }
    int length = view.batchLength();
    if (length < RecordBatch.RECORD_BATCH_OVERHEAD - RecordBatch.LOG_OVERHEAD
        || (long) position + RecordBatch.LOG_OVERHEAD + length > limit) {
      return false;
    }
    this.position = position;
    return true;
  }

  int position() {
    return position;
  }

  int size() {
    return view.sizeInBytes();
  }

  int end() {
    return position + view.sizeInBytes();
  }

  long baseOffset() {
    return view.baseOffset();
  }

  long lastOffset() {
    return view.lastOffset();
  }

  long maxTimestamp() {
    return view.maxTimestamp();
  }

  /** The loaded header as a batch view (header fields only: the records are not loaded). */
  RecordBatch batch() {
    return view;
  }

  int partitionLeaderEpoch() {
    return view.partitionLeaderEpoch();
  }
}
