package io.rill.chaos.nemesis;

import java.util.Locale;

/**
 * The faults {@code --faults} may name. Each is recorded as nemesis operations {@code
 * start-NAME} and {@code stop-NAME}.
 */
public enum FaultKind {
  /** SIGKILL a node; stop restarts it on the same data. */
  KILL,
  /** SIGSTOP a node; stop sends SIGCONT. */
  PAUSE,
  /** Cut links between nodes (one isolated, majority/minority, ring); stop heals. */
  PARTITION,
  /** SIGKILL a node, cut the tail of an active segment or flip bits in a closed one; restart. */
  DISK,
  /** Skew a node's wall clock: not available (see docs/chaos.md). */
  CLOCK;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FaultKind parse(String name) {
    for (FaultKind k : values()) {
      if (k.json().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + name
        + "'; the faults are kill, pause, partition, disk, clock");
  }
}
