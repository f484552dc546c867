package io.rill.broker.log;

/**
 * A record without a key was produced to a compacted topic, where it could never be placed (the
 * cleaner keeps records by key): the broker answers INVALID_RECORD, as Kafka does, which the
 * producer does not retry.
 */
public class RecordWithoutKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordWithoutKeyException(String message) {
    super(message);
  }
}
