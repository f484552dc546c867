package io.rill.chaos.runner;

import io.rill.chaos.history.Functions;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.List;

/** The longest time without an acknowledged send: how long writes stalled at worst. */
public final class Stalls {
  private Stalls() {}

  /** Seconds between the two acknowledged sends furthest apart (0 with fewer than two). */
  public static double longestAckGapS(List<Op> history) {
    long previous = -1;
    long longest = 0;
    for (Op op : history) {
      if (!op.isNemesis() && op.type() == OpType.OK && op.f().equals(Functions.SEND)) {
        if (previous >= 0) {
          longest = Math.max(longest, op.timeNanos() - previous);
        }
        previous = op.timeNanos();
      }
    }
    return longest / 1e9;
  }
}
