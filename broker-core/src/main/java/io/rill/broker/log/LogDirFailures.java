package io.rill.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which log directories are offline. A directory goes offline on the first {@link IOException}
 * of any log in it and stays offline until the process restarts (Kafka's rule: a failed disk is
 * not trusted again without an operator). Logs check it before every operation so a failed
 * directory answers KAFKA_STORAGE_ERROR instead of half-working.
 *
 * <p>Thread-safe; shared by every log of a {@link LogManager}.
 */
public final class LogDirFailures {
  private static final Logger LOG = LoggerFactory.getLogger(LogDirFailures.class);
  private final Set<Path> offline = ConcurrentHashMap.newKeySet();

  /**
   * Takes {@code logDir} offline and returns the exception to throw to the caller.
   *
   * @param context what failed, with file, offset and partition
   */
  public KafkaStorageException markOffline(Path logDir, String context, IOException cause) {
    if (offline.add(logDir)) {
      LOG.error("Log directory {} is offline: {} failed. Its partitions answer "
          + "KAFKA_STORAGE_ERROR until restart.", logDir, context, cause);
    }
    return new KafkaStorageException(logDir, context + " failed; log dir " + logDir
        + " is offline", cause);
  }

  public boolean isOffline(Path logDir) {
    return offline.contains(logDir);
  }

  public Set<Path> offlineDirs() {
    return Set.copyOf(offline);
  }

  /** Throws if {@code logDir} is offline. */
  void ensureOnline(Path logDir, Object what) {
    if (offline.contains(logDir)) {
      throw new KafkaStorageException(logDir, what + " is in offline log dir " + logDir, null);
    }
  }
}
