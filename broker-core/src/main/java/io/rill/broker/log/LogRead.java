package io.rill.broker.log;

import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * One read of a partition log against a snapshot: finds the segment by floor lookup, the start
 * position by the sparse index and a short header scan, and the end as the last whole batch
 * within the byte limit and below the offset bound. Only batch headers are read; the records
 * stay in the page cache until the network layer sends the region.
 *
 * <p>Used by one reader thread at a time; the segments it touches may be appended to (bounded by
 * the snapshot's active size) or retired (their channels stay open for the delete delay).
 */
final class LogRead {
  /** Readers are the network layer's handler threads: one header buffer each, reused. */
  private static final ThreadLocal<BatchHeader> HEADERS = ThreadLocal.withInitial(BatchHeader::new);
  private final LogSegment active;
  private final int activeSizeBytes;
  private final long logEndOffset;
  private final NavigableMap<Long, LogSegment> segments;
  private final BatchHeader header = HEADERS.get();

  LogRead(LogSegment active, int activeSizeBytes, long logEndOffset,
      NavigableMap<Long, LogSegment> segments) {
    this.active = active;
    this.activeSizeBytes = activeSizeBytes;
    this.logEndOffset = logEndOffset;
    this.segments = segments;
  }

  private int sizeLimit(LogSegment segment) {
    return segment == active ? activeSizeBytes : segment.sizeInBytes();
  }

  /**
   * The region of whole batches from the one holding {@code startOffset}, or empty when there
   * is none below {@code offsetBound} (exclusive) or the first exceeds {@code maxBytes} without
   * {@code minOneBatch}.
   */
  Optional<FileRegion> read(long startOffset, int maxBytes, long offsetBound, boolean minOneBatch)
      throws IOException {
    if (startOffset >= offsetBound) {
      return Optional.empty();
    }
    Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
    if (entry == null) {
      entry = segments.firstEntry();
    }
    long offset = startOffset;
    while (entry != null && entry.getKey() < offsetBound) {
      LogSegment segment = entry.getValue();
      int limit = sizeLimit(segment);
      int start = segment.translateOffset(offset, limit, header);
      if (start >= 0) {
        return region(segment, start, limit, maxBytes, offsetBound, minOneBatch);
      }
      entry = segments.higherEntry(entry.getKey());
      offset = entry == null ? offset : Math.max(offset, entry.getKey());
    }
    return Optional.empty();
  }

  private Optional<FileRegion> region(LogSegment segment, int start, int limit, int maxBytes,
      long offsetBound, boolean minOneBatch) throws IOException {
    int firstBatchSize = header.size();
    int end = limit;
    Long nextBase = segments.higherKey(segment.baseOffset());
    boolean boundInside = offsetBound < logEndOffset && (nextBase == null || nextBase > offsetBound);
    if (boundInside) {
      int boundPosition = segment.translateOffset(offsetBound, limit, header);
      if (boundPosition >= 0) {
        end = boundPosition;
      }
    }
    if (end <= start) {
      return Optional.empty();
    }
    if ((long) start + maxBytes < end) {
      int byteLimit = start + maxBytes;
      end = segment.lastWholeBatchEnd(start, byteLimit, header);
      if (end == start) {
        if (!minOneBatch) {
          return Optional.empty();
        }
        end = start + firstBatchSize;
      }
    }
    return Optional.of(new FileRegion(segment.channel(), start, end - start));
  }
}
