package io.rill.broker.replica;

import io.rill.broker.log.FileRegion;
import io.rill.protocol.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Walks the batch headers of a file region without reading record data: one positional read of
 * {@link RecordBatch#RECORD_BATCH_OVERHEAD} bytes a batch. Used to rebuild producer state from
 * the log after a restart or truncation.
 */
final class BatchHeaders {
  private BatchHeaders() {}

  /**
   * Calls {@code visitor} with each whole batch header in {@code region} and its base offset;
   * returns the offset after the last batch visited, or -1 if the region held none.
   */
  static long forEach(FileRegion region, BiConsumer<RecordBatch, Long> visitor) {
    ByteBuffer header = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD);
    RecordBatch batch = RecordBatch.at(header, 0);
    long position = region.position();
    long end = region.position() + region.length();
    long next = -1;
    try {
      while (end - position >= RecordBatch.RECORD_BATCH_OVERHEAD) {
        header.clear();
        while (header.hasRemaining()) {
          if (region.channel().read(header, position + header.position()) < 0) {
            return next;
          }
        }
        int size = batch.sizeInBytes();
        if (size < RecordBatch.RECORD_BATCH_OVERHEAD || position + size > end) {
          return next;
        }
        visitor.accept(batch, batch.baseOffset());
        next = batch.nextOffset();
        position += size;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading batch headers at position " + position, e);
    }
    return next;
  }
}
