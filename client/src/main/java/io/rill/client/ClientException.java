package io.rill.client;

import io.rill.protocol.Errors;

/**
 * Why a client call could not do its job: the broker refused (it answered with a Kafka error
 * code) or no broker answered within the timeout. Callers map these to their own outcomes; the
 * {@code rill} tool maps them to exit codes 1 and 3.
 */
public abstract sealed class ClientException extends RuntimeException {
  private ClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The broker answered with an error code. */
  public static final class Refused extends ClientException {
    private final Errors error;

    public Refused(Errors error, String message) {
      super(message, null);
      this.error = error;
    }

    public Errors error() {
      return error;
    }

    @Override
    public String getMessage() {
      String detail = super.getMessage();
      return error.name() + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /** No broker answered before the deadline (connect, or request timeout). */
  public static final class Unreachable extends ClientException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Throws {@link Refused} unless {@code code} is NONE. */
  public static void check(short code, String message, Object context) {
    if (code != Errors.NONE.code) {
      Errors e = Errors.forCode(code);
      String detail = message == null || message.isEmpty() ? String.valueOf(context)
          : context + ": " + message;
      throw new Refused(e, detail);
    }
  }
}
