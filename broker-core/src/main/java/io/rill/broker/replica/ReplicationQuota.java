package io.rill.broker.replica;

import io.rill.protocol.util.Checks;

/**
 * A byte-rate bound on throttled replication traffic (KIP-73), one per side (leader, follower)
 * per broker: the rate is the bytes recorded over the last {@code windows} windows of {@code
 * windowMs} each (the current one included, counted for the time it has run), as Kafka's
 * {@code replication.quota.window.num} (11) and {@code replication.quota.window.size.seconds}
 * (1) measure it. {@link Long#MAX_VALUE} bytes/s is no bound.
 *
 * <p>Thread-safe: fetch handler threads and replica fetcher threads record and ask at once;
 * the windows are guarded by this object's monitor, the bound is volatile.
 */
public final class ReplicationQuota {
  public static final int WINDOWS = 11;
  public static final long WINDOW_MS = 1_000;

  private final long windowMs;
  private final long[] bytes;
  private final long[] starts;
  private int current;
  /** Volatile: every follower fetch asks {@link #bounded} first, without the lock. */
  private volatile long bytesPerSecond = Long.MAX_VALUE;

  public ReplicationQuota(int windows, long windowMs) {
    Checks.argument(windows >= 2 && windowMs > 0, "bad quota window %s x %s", windows, windowMs);
    this.windowMs = windowMs;
    this.bytes = new long[windows];
    this.starts = new long[windows];
    java.util.Arrays.fill(starts, Long.MIN_VALUE);
  }

  public void setRate(long bytesPerSecond) {
    Checks.argument(bytesPerSecond >= 0, "negative rate %s", bytesPerSecond);
    this.bytesPerSecond = bytesPerSecond;
  }

  public boolean bounded() {
    return bytesPerSecond != Long.MAX_VALUE;
  }

  public synchronized void record(long n, long nowMs) {
    roll(nowMs);
    bytes[current] += n;
  }

  /** Whether the measured rate is above the bound (never, when unbounded). */
  public synchronized boolean exceeded(long nowMs) {
    if (bytesPerSecond == Long.MAX_VALUE) {
      return false;
    }
    roll(nowMs);
    long total = 0;
    long oldest = starts[current];
    for (int i = 0; i < bytes.length; i++) {
      if (starts[i] != Long.MIN_VALUE && nowMs - starts[i] < bytes.length * windowMs) {
        total += bytes[i];
        oldest = Math.min(oldest, starts[i]);
      }
    }
    // At least the full span of the windows but one, as Kafka's Rate: a quiet start does not
    // make the first bytes look like a burst.
    long elapsedMs = Math.max(nowMs - oldest, (bytes.length - 1) * windowMs);
    return total * 1000.0 / elapsedMs > bytesPerSecond;
  }

  private void roll(long nowMs) {
    if (starts[current] != Long.MIN_VALUE && nowMs - starts[current] < windowMs) {
      return;
    }
    long start = starts[current] == Long.MIN_VALUE ? nowMs
        : starts[current] + ((nowMs - starts[current]) / windowMs) * windowMs;
    current = (current + 1) % bytes.length;
    starts[current] = start;
    bytes[current] = 0;
  }
}
