package io.rill.chaos.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code inconsistent-offsets} (one offset, several values) and {@code duplicate} (one value,
 * several offsets), over the version order of acknowledged sends and reads.
 */
final class OffsetConsistency {
  private OffsetConsistency() {}

  static void check(HistoryIndex h, List<Anomaly> out) {
    h.valuesAt.forEach((partition, at) -> at.forEach((offset, values) -> {
      if (values.size() > 1) {
        out.add(new Anomaly(AnomalyType.INCONSISTENT_OFFSETS, partition, List.of(offset),
            List.copyOf(values), opsShowing(h, partition, Set.of(offset), values),
            "offset " + offset + " holds " + values.size() + " different values"));
      }
    }));
    h.offsetsOf.forEach((partition, byValue) -> byValue.forEach((value, offsets) -> {
      if (offsets.size() > 1) {
        out.add(new Anomaly(AnomalyType.DUPLICATE, partition, List.copyOf(offsets),
            List.of(value), opsShowing(h, partition, offsets, Set.of(value)),
            "value " + value + " appears at " + offsets.size() + " offsets"));
      }
    }));
  }

  /** Indexes of the sends and polls that put one of {@code values} at one of {@code offsets}. */
  static List<Long> opsShowing(HistoryIndex h, int partition, Set<Long> offsets,
      Set<Long> values) {
    TreeSet<Long> ops = new TreeSet<>();
    for (Send s : h.sends) {
      if (s.partition() == partition && s.acked() && offsets.contains(s.offset())
          && values.contains(s.value())) {
        ops.add(s.completion().index());
      }
    }
    for (Read r : h.reads) {
      if (r.partition() == partition && offsets.contains(r.offset())
          && values.contains(r.value())) {
        ops.add(r.op().index());
      }
    }
    return new ArrayList<>(ops);
  }

  static Map<Integer, Long> highestReadOffsets(HistoryIndex h) {
    Map<Integer, Long> bound = new java.util.TreeMap<>();
    for (Read r : h.reads) {
      if (r.op().type() == io.rill.chaos.history.OpType.OK) {
        bound.merge(r.partition(), r.offset(), Math::max);
      }
    }
    return bound;
  }
}
