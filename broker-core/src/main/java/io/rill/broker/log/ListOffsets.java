package io.rill.broker.log;

import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * ListOffsets over a partition's segments: the special timestamps (earliest -2 / -4, latest -1,
 * max-timestamp -3, KIP-734) and search by timestamp through the time index. Resolution here is
 * a batch (this layer reads batch headers only): a timestamp search answers the first batch
 * whose max timestamp reaches the target, with its base offset (or the log start offset, if
 * later); {@link PartitionLog} then narrows it to the record with {@link RecordTimestamps}.
 *
 * <p>Called under the partition's writer lock, which keeps segment timestamps stable.
 */
final class ListOffsets {
  private ListOffsets() {}

  static Optional<TimestampOffset> lookup(long timestamp, Collection<LogSegment> segments,
      long logStartOffset, long logEndOffset, LeaderEpochCache epochs) throws IOException {
    if (timestamp == PartitionLog.EARLIEST_TIMESTAMP
        || timestamp == PartitionLog.EARLIEST_LOCAL_TIMESTAMP) {
      return Optional.of(new TimestampOffset(RecordBatch.NO_TIMESTAMP, logStartOffset,
          epochs.epochForOffset(logStartOffset)));
    }
    if (timestamp == PartitionLog.LATEST_TIMESTAMP) {
      return Optional.of(new TimestampOffset(RecordBatch.NO_TIMESTAMP, logEndOffset,
          epochs.latestEpoch().orElse(LeaderEpochCache.UNDEFINED_EPOCH)));
    }
    if (timestamp == PartitionLog.MAX_TIMESTAMP) {
      return maxTimestamp(segments, logStartOffset, epochs);
    }
    Checks.argument(timestamp >= 0, "unknown ListOffsets timestamp %s", timestamp);
    return firstBatchAtOrAfter(segments, timestamp, logStartOffset)
        .map(t -> new TimestampOffset(t.timestamp(), t.offset(), epochs.epochForOffset(t.offset())));
  }

  /** The batch with the largest max timestamp (the earliest such), by its last offset. */
  private static Optional<TimestampOffset> maxTimestamp(Collection<LogSegment> segments,
      long logStartOffset, LeaderEpochCache epochs) {
    LogSegment best = null;
    for (LogSegment segment : segments) {
      if (segment.maxTimestamp() >= 0
          && (best == null || segment.maxTimestamp() > best.maxTimestamp())) {
        best = segment;
      }
    }
    if (best == null || best.offsetOfMaxTimestamp() < logStartOffset) {
      return Optional.empty();
    }
    return Optional.of(new TimestampOffset(best.maxTimestamp(), best.offsetOfMaxTimestamp(),
        epochs.epochForOffset(best.offsetOfMaxTimestamp())));
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
