package io.rill.broker.log;

import java.nio.file.Path;

/**
 * A log directory failed (an {@link java.io.IOException} while reading or writing it) or was
 * already offline. The broker answers KAFKA_STORAGE_ERROR for the partitions of that directory;
 * the process keeps running.
 */
public class KafkaStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path logDir;

  public KafkaStorageException(Path logDir, String message, Throwable cause) {
    super(message, cause);
    this.logDir = logDir;
  }

  /** The log directory that is (now) offline. */
  public Path logDir() {
    return logDir;
  }
}
