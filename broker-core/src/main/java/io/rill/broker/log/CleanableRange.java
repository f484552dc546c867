package io.rill.broker.log;

import java.util.List;
import java.util.Optional;

/**
 * The part of a compacted log the cleaner may work on now, and how much it is worth (Kafka's
 * {@code LogToClean}): the clean section [log start, firstDirtyOffset) was compacted before; the
 * dirty section [firstDirtyOffset, firstUncleanableOffset) was not. firstUncleanableOffset is the
 * smallest of the active segment's base, the high watermark, and the base of the first segment
 * holding a record younger than {@code min.compaction.lag.ms}. Byte counts are whole segments (the one holding
 * firstDirtyOffset counts as dirty).
 *
 * @param overdue the dirty section holds a record older than {@code max.compaction.lag.ms}: the
 *     log is cleaned whatever its ratio
 */
record CleanableRange(PartitionLog log, PartitionLog.CleanerView view, long firstDirtyOffset,
    long firstUncleanableOffset, long cleanBytes, long dirtyBytes, boolean overdue) {

  /** The range of a log whose policy compacts, or empty when there is nothing dirty. */
  static Optional<CleanableRange> of(PartitionLog log, PartitionLog.CleanerView view,
      long nowMs) {
    LogConfig config = view.config();
    if (!config.cleanupPolicy().compacts()) {
      return Optional.empty();
    }
    long firstDirty = Math.max(view.cleanedOffset(), view.logStartOffset());
    long firstUncleanable = Math.min(view.activeBaseOffset(), view.highWatermark());
    List<LogSegment> inactive = view.inactive();
    if (config.minCompactionLagMs() > 0) {
      for (LogSegment segment : inactive) {
        if (segment.nextOffset() > firstDirty
            && segment.maxTimestamp() > nowMs - config.minCompactionLagMs()) {
          firstUncleanable = Math.min(firstUncleanable, segment.baseOffset());
          break;
        }
      }
    }
    long clean = 0;
    long dirty = 0;
    long oldestDirtyMs = Long.MAX_VALUE;
    for (LogSegment segment : inactive) {
      if (segment.nextOffset() <= view.logStartOffset()
          || segment.baseOffset() >= firstUncleanable) {
        continue;
      }
      if (segment.nextOffset() <= firstDirty) {
        clean += segment.sizeInBytes();
      } else {
        dirty += segment.sizeInBytes();
        if (segment.firstBatchTimestamp() >= 0) {
          oldestDirtyMs = Math.min(oldestDirtyMs, segment.firstBatchTimestamp());
        }
      }
    }
    if (dirty == 0 || firstDirty >= firstUncleanable) {
      return Optional.empty();
    }
    boolean overdue = config.maxCompactionLagMs() < Long.MAX_VALUE
        && oldestDirtyMs < nowMs - config.maxCompactionLagMs();
    return Optional.of(new CleanableRange(log, view, firstDirty, firstUncleanable, clean, dirty,
        overdue));
  }

  /** Dirty bytes over all cleanable bytes. */
  double dirtyRatio() {
    long total = cleanBytes + dirtyBytes;
    return total == 0 ? 0 : (double) dirtyBytes / total;
  }

  /** Whether the cleaner should take this log: dirty enough, or waited too long. */
  boolean worthCleaning() {
    return overdue || dirtyRatio() >= view.config().minCleanableDirtyRatio();
  }
}
