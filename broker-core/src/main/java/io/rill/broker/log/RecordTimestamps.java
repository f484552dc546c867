package io.rill.broker.log;

import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordIterator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Narrows a ListOffsets answer from a batch to the record, as Kafka answers it: the time index
 * and segment metadata find the batch, and this reads that one batch (decompressing if needed)
 * to find the exact record — the first whose timestamp reaches the target, or the first that
 * carries the batch's maximum timestamp. One batch is at most max.message.bytes, and ListOffsets
 * by time is an occasional call, so reading it into the heap is fine here (never on fetch).
 */
final class RecordTimestamps {
  private RecordTimestamps() {}

  /** The first record at or after {@code minOffset} whose timestamp is at least {@code target}. */
  static TimestampOffset firstAtOrAfter(FileRegion batchRegion, long target, long minOffset,
      TimestampOffset coarse) throws IOException {
    try (RecordIterator records = RecordIterator.of(firstBatch(batchRegion))) {
      while (records.hasNext()) {
        Record r = records.next();
        if (r.offset() >= minOffset && r.timestamp() >= target) {
          return new TimestampOffset(r.timestamp(), r.offset(), coarse.leaderEpoch());
        }
      }
    }
    return coarse;
  }

  /** The first record of the batch that carries the batch's maximum timestamp. */
  static TimestampOffset firstWithMaxTimestamp(FileRegion batchRegion, TimestampOffset coarse)
      throws IOException {
    RecordBatch batch = firstBatch(batchRegion);
    try (RecordIterator records = RecordIterator.of(batch)) {
      while (records.hasNext()) {
        Record r = records.next();
        if (r.timestamp() == coarse.timestamp()) {
          return new TimestampOffset(r.timestamp(), r.offset(), coarse.leaderEpoch());
        }
      }
    }
    return coarse;
  }

  private static RecordBatch firstBatch(FileRegion region) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
    readFully(region, header, 0);
    int size = RecordBatch.sizeAt(header, 0, RecordBatch.LOG_OVERHEAD);
    if (size < RecordBatch.RECORD_BATCH_OVERHEAD || size > region.length()) {
      throw new IOException("no whole batch at position " + region.position());
    }
    ByteBuffer bytes = ByteBuffer.allocate(size);
    readFully(region, bytes, 0);
    return RecordBatch.at(bytes, 0);
  }

  private static void readFully(FileRegion region, ByteBuffer dst, long from) throws IOException {
    long position = region.position() + from;
    while (dst.hasRemaining()) {
      int n = region.channel().read(dst, position);
      if (n < 0) {
        throw new IOException("segment ends before the batch at " + region.position());
      }
      position += n;
    }
  }
}
