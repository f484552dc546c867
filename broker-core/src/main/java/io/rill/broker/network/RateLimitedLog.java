package io.rill.broker.network;

import org.slf4j.Logger;

/**
 * Logs a recurring warning at most once per interval, with how many were suppressed in between,
 * so a flood of bad clients cannot flood the log.
 *
 * <p>Thread ownership: one owning thread (an acceptor or a processor); not thread-safe.
 */
final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private long lastNanos;
  private boolean loggedOnce;
  private long suppressed;

  RateLimitedLog(Logger log, long intervalMs) {
    this.log = log;
    this.intervalNanos = intervalMs * 1_000_000L;
  }

  void warn(long nowNanos, String format, Object... args) {
    if (loggedOnce && nowNanos - lastNanos < intervalNanos) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn("({} similar warnings suppressed in the last {} ms)", suppressed,
          (nowNanos - lastNanos) / 1_000_000L);
    }
    log.warn(format, args);
    loggedOnce = true;
    lastNanos = nowNanos;
    suppressed = 0;
  }
}
