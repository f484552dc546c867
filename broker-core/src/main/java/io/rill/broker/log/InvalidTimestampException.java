package io.rill.broker.log;

/**
 * A produced batch's timestamp lies outside the topic's {@code message.timestamp.before.max.ms}
 * / {@code message.timestamp.after.max.ms} window: the broker answers INVALID_TIMESTAMP.
 */
public class InvalidTimestampException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTimestampException(String message) {
    super(message);
  }
}
