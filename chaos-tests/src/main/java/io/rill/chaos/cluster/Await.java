package io.rill.chaos.cluster;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition with a deadline; a timeout names what was waited for and the last error. */
public final class Await {
  /** Between two looks: short next to every deadline the suite uses. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  /** What is polled; an exception counts as "not yet" and is shown if the wait fails. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /**
   * Returns once {@code condition} holds; throws {@link TimeoutException} after {@code timeout}
   * with {@code what} and {@code context} (e.g. the nodes' state) in the message.
   */
  public static void until(String what, Duration timeout, Supplier<String> context,
      Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
        last = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= deadline) {
        throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for "
            + what + (last == null ? "" : "; the last look failed with: " + last) + "\n"
            + context.get(), last);
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  /** A wait of {@link #until} ran out. */
  public static final class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
