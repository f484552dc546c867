package io.rill.protocol.util;

/**
 * Always-on invariant checks. Java's {@code assert} is off by default, so invariants that
 * guard our own data (offset order, epochs, sizes we computed) use these instead.
 *
 * <p>The message is only formatted when the check fails, so callers may pass arguments freely
 * on hot paths (boxing aside).
 */
public final class Checks {
  private Checks() {}

  /** Our own state is inconsistent: a bug, never a client's mistake. */
  public static void state(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, args));
    }
  }

  /** A caller passed an argument outside the method's contract. */
  public static void argument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
