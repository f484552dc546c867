package io.rill.broker.log;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds the cleaner threads together to {@code log.cleaner.io.max.bytes.per.second} (bytes read
 * plus bytes written), as Kafka's {@code Throttler}: bytes are counted over a window of {@link
 * #CHECK_INTERVAL_NS}; when the window's rate exceeds the limit, the caller parks for as long as
 * brings it back to the limit, then a new window starts. Callers park one at a time (the
 * throttle is shared), which is the point.
 *
 * <p>Thread-safe.
 */
final class CleanerThrottler {
  /** How often the rate is measured; short enough to keep bursts small. */
  static final long CHECK_INTERVAL_NS = 100_000_000L;

  private final double bytesPerSecond;
  private final Time time;
  private long windowStartNs;
  private long windowBytes;

  CleanerThrottler(double bytesPerSecond, Time time) {
    this.bytesPerSecond = bytesPerSecond;
    this.time = time;
    this.windowStartNs = time.nanoseconds();
  }

  /** Whether any throttling can happen (the default limit is unbounded). */
  boolean limited() {
    return bytesPerSecond < Double.MAX_VALUE;
  }

  /** Counts {@code bytes} of I/O; parks the caller when the rate runs over the limit. */
  synchronized void acquire(long bytes) {
    if (!limited()) {
      return;
    }
    windowBytes += bytes;
    long elapsedNs = time.nanoseconds() - windowStartNs;
    if (elapsedNs < CHECK_INTERVAL_NS) {
      return;
    }
    double allowedNs = windowBytes / bytesPerSecond * 1e9;
    long parkNs = (long) allowedNs - elapsedNs;
    if (parkNs > 0) {
      LockSupport.parkNanos(parkNs);
    }
    windowStartNs = time.nanoseconds();
    windowBytes = 0;
  }
}
