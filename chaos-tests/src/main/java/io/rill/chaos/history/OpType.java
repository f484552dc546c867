package io.rill.chaos.history;

import java.util.Locale;

/**
 * The four kinds of history line, as in Jepsen: an {@code invoke} opens an operation and one of
 * the others closes it. {@link #INFO} is indeterminate: the operation may or may not have taken
 * effect (a timeout, a lost connection), so the checker may neither count on it nor rule it out.
 */
public enum OpType {
  INVOKE, OK, INFO, FAIL;

  /** The name in the history: {@code invoke}, {@code ok}, {@code info}, {@code fail}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OpType fromJson(String name) {
    for (OpType t : values()) {
      if (t.json().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown operation type '" + name
        + "'; expected invoke, ok, info or fail");
  }
}
