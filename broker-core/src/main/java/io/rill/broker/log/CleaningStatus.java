package io.rill.broker.log;

/**
 * How clean one compacted log is on this broker (each replica compacts its own log), for {@code
 * rill topics describe} and DescribeLogDirs.
 *
 * @param cleanableRatio dirty bytes over all bytes the cleaner may work on now (Kafka's dirty
 *     ratio, compared with {@code min.cleanable.dirty.ratio}); 0 when nothing is dirty
 * @param lastCleaningMs when the last completed cleaning ended (wall clock); {@link #NEVER} when
 *     none completed since the broker started
 * @param cleanedOffset where the dirty section starts (the cleaner checkpoint); -1 when never
 *     cleaned
 * @param uncleanable a cleaning failed and the log is skipped until the broker restarts
 */
public record CleaningStatus(double cleanableRatio, long lastCleaningMs, long cleanedOffset,
    boolean uncleanable) {
  public static final long NEVER = -1L;
}
