package io.rill.chaos.workload;

import io.rill.chaos.history.OpType;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownServerException;

/**
 * How a client exception closes an operation, after Jepsen's Kafka client: anything that may
 * have taken effect is {@code info} (timeouts, lost connections, not-leader, not-enough-replicas
 * after append, an unknown server error), a definite refusal is {@code fail} (out-of-order
 * sequence, fenced producer, record too large, ...). When unsure, info: it only weakens what the
 * checker may demand, never what it accepts.
 */
public final class Outcomes {
  private Outcomes() {}

  public static OpType of(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof java.util.concurrent.TimeoutException
        || cause instanceof RetriableException
        || cause instanceof UnknownServerException
        || cause instanceof InterruptException
        || cause instanceof InterruptedException) {
      return OpType.INFO;
    }
    if (cause instanceof KafkaException) {
      return OpType.FAIL;
    }
    return OpType.INFO;
  }

  /** The exception a future or wrapper carries. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof ExecutionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** {@code SimpleName: message}, for the history's error field. */
  public static String describe(Throwable t) {
    Throwable c = unwrap(t);
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
