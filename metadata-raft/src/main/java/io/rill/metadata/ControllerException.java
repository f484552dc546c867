package io.rill.metadata;

import io.rill.protocol.Errors;
import java.util.OptionalInt;

/**
 * A command that was not decided: this node is not the active controller (NOT_CONTROLLER,
 * with the leader's id when known), the quorum did not commit it in time (REQUEST_TIMED_OUT:
 * it may still commit), or the node is shutting down. Commands that were decided report their
 * outcome as error codes in the response instead.
 */
public final class ControllerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Errors error;
  private final OptionalInt leaderHint;

  public ControllerException(Errors error, OptionalInt leaderHint, String message) {
    super(message);
    this.error = error;
    this.leaderHint = leaderHint;
  }

  public ControllerException(Errors error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
    this.leaderHint = OptionalInt.empty();
  }

  public static ControllerException notController(OptionalInt leaderHint) {
    return new ControllerException(Errors.NOT_CONTROLLER, leaderHint,
        "This node is not the active controller; leader: "
            + (leaderHint.isPresent() ? leaderHint.getAsInt() : "unknown"));
  }

  public Errors error() {
    return error;
  }

  public OptionalInt leaderHint() {
    return leaderHint;
  }
}
