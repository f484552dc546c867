package io.rill.broker.log;

import io.rill.protocol.util.Checks;

/**
 * The broker-wide settings of the {@link LogCleaner}, under Kafka's names: {@code
 * log.cleaner.enable}, {@code log.cleaner.threads}, {@code log.cleaner.dedupe.buffer.size} (shared
 * by the threads), {@code log.cleaner.io.max.bytes.per.second}, {@code log.cleaner.backoff.ms},
 * and {@code producer.id.expiration.ms} (how long the last batch of a silent producer is kept).
 */
public record CleanerSettings(boolean enabled, int threads, long dedupeBufferBytes,
    double ioMaxBytesPerSecond, long backoffMs, long producerIdExpirationMs) {
  /** Kafka's defaults: one thread, 128 MiB of dedupe buffer, no I/O limit, 15 s backoff. */
  public static final CleanerSettings DEFAULT = new CleanerSettings(true, 1, 128L << 20,
      Double.MAX_VALUE, 15_000L, 86_400_000L);

  public CleanerSettings {
    Checks.argument(threads >= 0, "log.cleaner.threads=%s is negative", threads);
    Checks.argument(dedupeBufferBytes >= 1024, "log.cleaner.dedupe.buffer.size=%s is below 1024",
        dedupeBufferBytes);
    Checks.argument(ioMaxBytesPerSecond > 0, "log.cleaner.io.max.bytes.per.second=%s is not"
        + " positive", ioMaxBytesPerSecond);
    Checks.argument(backoffMs >= 0, "log.cleaner.backoff.ms=%s is negative", backoffMs);
    Checks.argument(producerIdExpirationMs > 0, "producer.id.expiration.ms=%s is not positive",
        producerIdExpirationMs);
  }

  /** The dedupe memory of one thread. */
  long dedupeBytesPerThread() {
    return dedupeBufferBytes / Math.max(1, threads);
  }
}
