package io.rill.broker.log;

import io.rill.broker.log.LogResults.TimestampOffset;
import java.io.IOException;
import java.util.Collection;
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
  private final LogSegment active;
  private final int activeSizeBytes;
  private final NavigableMap<Long, LogSegment> segments;
  private final BatchHeader header = new BatchHeader();

  LogRead(LogSegment active, int activeSizeBytes, NavigableMap<Long, LogSegment> segments) {
    this.active = active;
    this.activeSizeBytes = activeSizeBytes;
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
    int boundPosition = segment.translateOffset(offsetBound, limit, header);
    if (boundPosition >= 0) {
      end = boundPosition;
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

  /**
   * The first batch, in offset order, whose max timestamp is at or after {@code timestamp}:
   * segments whose max timestamp is smaller are skipped, the time index gives a start offset,
   * the offset index a start position, then batch headers are scanned.
   */
  static Optional<TimestampOffset> firstBatchAtOrAfter(Collection<LogSegment> segments,
      long timestamp, long logStartOffset) throws IOException {
    BatchHeader header = new BatchHeader();
    for (LogSegment segment : segments) {
      if (segment.maxTimestamp() < timestamp || segment.nextOffset() <= logStartOffset) {
        continue;
      }
      long fromOffset = Math.max(segment.timeIndex().lookup(timestamp), logStartOffset);
      int position = segment.offsetIndex().lookup(fromOffset);
      int limit = segment.sizeInBytes();
      while (position < limit && header.load(segment.channel(), position, limit)) {
        if (header.maxTimestamp() >= timestamp && header.lastOffset() >= logStartOffset) {
          return Optional.of(new TimestampOffset(header.maxTimestamp(),
              Math.max(header.baseOffset(), logStartOffset), -1));
        }
        position = header.end();
      }
    }
    return Optional.empty();
  }
}
