package io.rill.chaos.checker;

import java.util.List;

/**
 * One anomaly: its class, the partition (Jepsen's "key"), the offsets and values concerned, the
 * indexes of the history operations that show it, and a sentence saying what was seen.
 */
public record Anomaly(AnomalyType type, int partition, List<Long> offsets, List<Long> values,
    List<Long> ops, String note) {
  public Anomaly {
    offsets = List.copyOf(offsets);
    values = List.copyOf(values);
    ops = List.copyOf(ops);
  }
}
