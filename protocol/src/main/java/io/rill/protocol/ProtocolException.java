package io.rill.protocol;

/**
 * Bytes from outside the process do not follow the Kafka wire format: a length that runs past
 * the buffer or over a configured maximum, an unknown enum value, a truncated field.
 *
 * <p>Thrown by every decoder instead of {@code BufferUnderflowException}, {@code
 * OutOfMemoryError} or {@code NegativeArraySizeException}. The network layer answers it with
 * INVALID_REQUEST (or closes only the offending connection when not even the header parses);
 * it never stops the broker.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
