package io.rill.broker.log;

import java.io.IOException;
import java.util.List;

/**
 * Which segments retention deletes, in Kafka's order: those older than {@code retention.ms} (by
 * their largest timestamp, else file mtime), then those that keep the log above {@code
 * retention.bytes}, then those wholly below the log start offset. Only a prefix of the log is
 * ever deleted.
 *
 * <p>Time and size retention apply only when {@code cleanup.policy} includes {@code delete}, as
 * in Kafka: a compacted topic (Connect's internal topics, Streams' changelogs, every table topic)
 * keeps its segments however old or large. Segments below the log start offset go whatever the
 * policy.
 *
 * <p>The active segment is deleted only by time: when every segment, the non-empty active one included, is past {@code retention.ms},
 * the log rolls an empty active segment at its end and deletes the old one like the rest (as
 * Kafka's {@code UnifiedLog.deleteOldSegments} does). Otherwise a topic that stops receiving data
 * would keep it up to {@code segment.ms} (7 days) past its retention (issue 15).
 *
 * <p>Called by the partition's writer, under its lock.
 */
final class RetentionPolicy {
  private RetentionPolicy() {}

  static int apply(PartitionLog log, LogConfig config, long nowMs) throws IOException {
    int deleted = 0;
    boolean deletes = config.cleanupPolicy().deletes();
    List<LogSegment> inactive = log.inactiveSegments();
    if (deletes && config.retentionMs() >= 0) {
      int count = 0;
      while (count < inactive.size()
          && nowMs - inactive.get(count).largestTimestamp() > config.retentionMs()) {
        count++;
      }
      if (count == inactive.size() && log.activeSegmentExpired(nowMs, config.retentionMs())) {
        log.rollForRetention();
        count++;
      }
      if (count > 0) {
        log.deleteOldestSegments(count, "older than retention.ms " + config.retentionMs());
        deleted += count;
      }
    }
    inactive = log.inactiveSegments();
    if (deletes && config.retentionBytes() >= 0) {
      long excess = log.sizeInBytes() - config.retentionBytes();
      int count = 0;
      while (count < inactive.size() && excess - inactive.get(count).sizeInBytes() >= 0) {
        excess -= inactive.get(count).sizeInBytes();
        count++;
      }
      if (count > 0) {
        log.deleteOldestSegments(count, "beyond retention.bytes " + config.retentionBytes());
        deleted += count;
      }
    }
    deleted += log.deleteSegmentsBelowLogStart();
    return deleted;
  }
}
