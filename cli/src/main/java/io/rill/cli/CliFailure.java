package io.rill.cli;

import io.rill.protocol.Errors;

/**
 * Why a command could not do its job, mapped to the tool's exit codes (issue 6): the broker
 * refused (1, its Kafka error name and message on stderr) or the cluster could not be reached
 * within the timeout (3). Usage errors (2) are picocli's own.
 */
public abstract sealed class CliFailure extends RuntimeException {
  public static final int EXIT_REFUSED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;

  private CliFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract int exitCode();

  /** The broker answered with an error code. */
  public static final class Refused extends CliFailure {
    private final Errors error;

    public Refused(Errors error, String message) {
      super(message, null);
      this.error = error;
    }

    public Errors error() {
      return error;
    }

    @Override
    public int exitCode() {
      return EXIT_REFUSED;
    }

    @Override
    public String getMessage() {
      String detail = super.getMessage();
      return error.name() + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /** No broker answered before the deadline (connect, or request timeout). */
  public static final class Unreachable extends CliFailure {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return EXIT_UNREACHABLE;
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
