package io.rill.broker.log;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds the cleaner threads together to {@code log.cleaner.io.max.bytes.per.second} (bytes read
 * plus bytes written), as Kafka's {@code Throttler}: bytes are counted over a window of {@link
 * #CHECK_INTERVAL_NS}; whenever the window's bytes are due later than now at the limit, the
 * caller parks until they are due; then windows start over. Callers park one at a time (the
 * throttle is shared), which is the point.
 *
 * <p>Thread-safe.
 */
final class CleanerThrottler {
  /** How long a measuring window lasts before it starts over. */
  static final long CHECK_INTERVAL_NS = 100_000_000L;
  /** Running ahead by less than this is let go: a park costs more than it saves. */
  static final long PARK_MIN_NS = 1_000_000L;

  private volatile double bytesPerSecond;
  private final Time time;
  private long windowStartNs;
  private long windowBytes;

  CleanerThrottler(double bytesPerSecond, Time time) {
    this.bytesPerSecond = bytesPerSecond;
    this.time = time;
    this.windowStartNs = time.nanoseconds();
  }

  /** A new limit, from the next window on (a dynamic config change). */
  synchronized void setRate(double bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    windowStartNs = time.nanoseconds();
    windowBytes = 0;
  }

  /** Whether any throttling can happen (the default limit is unbounded). */
  boolean limited() {
    return bytesPerSecond < Double.MAX_VALUE;
  }

  /** Counts {@code bytes} of I/O; parks the caller while the window runs ahead of the rate. */
  synchronized void acquire(long bytes) {
    if (!limited()) {
      return;
    }
    windowBytes += bytes;
    long elapsedNs = time.nanoseconds() - windowStartNs;
    long dueNs = (long) (windowBytes / bytesPerSecond * 1e9);
    if (dueNs - elapsedNs >= PARK_MIN_NS) {
      LockSupport.parkNanos(dueNs - elapsedNs);
    }
    if (time.nanoseconds() - windowStartNs >= CHECK_INTERVAL_NS) {
      windowStartNs = time.nanoseconds();
      windowBytes = 0;
    }
  }
}
