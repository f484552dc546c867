package io.rill.protocol.record;

import io.rill.protocol.ProtocolException;

/**
 * A record batch fails validation: wrong magic, a length that disagrees with the buffer, a CRC
 * mismatch, a record count that disagrees with the offset delta. A producer's batch that fails
 * is answered with CORRUPT_MESSAGE; a stored batch that fails marks the point where recovery
 * truncates.
 */
public class InvalidRecordException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public InvalidRecordException(String message) {
    super(message);
  }

  public InvalidRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
