package io.rill.broker.log;

/**
 * A produced batch exceeds {@code max.message.bytes}, or an append exceeds {@code
 * segment.bytes}: the broker answers MESSAGE_TOO_LARGE (or RECORD_LIST_TOO_LARGE).
 */
public class RecordTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordTooLargeException(String message) {
    super(message);
  }
}
