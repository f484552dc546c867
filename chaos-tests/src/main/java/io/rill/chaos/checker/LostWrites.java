package io.rill.chaos.checker;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lost-write} and {@code unseen}, after Jepsen's {@code lost-write-cases}: per partition,
 * the bound is the highest offset any ok poll read. An acknowledged send that no poll read is
 * lost if it sits at or below the bound (readers went past it, so it should have been there),
 * and unseen if above (the history ended before anyone got that far). Indeterminate sends are
 * never required: if one was read it is fine, if not it may simply never have happened.
 */
final class LostWrites {
  private LostWrites() {}

  static void check(HistoryIndex h, List<Anomaly> out) {
    Map<Integer, Long> bound = OffsetConsistency.highestReadOffsets(h);
    for (Send s : h.sends) {
      if (!s.acked() || h.readValues.getOrDefault(s.partition(), Set.of()).contains(s.value())) {
        continue;
      }
      long highest = bound.getOrDefault(s.partition(), -1L);
      List<Long> ops = List.of(s.invoke().index(), s.completion().index());
      if (s.offset() >= 0 && s.offset() <= highest) {
        out.add(new Anomaly(AnomalyType.LOST_WRITE, s.partition(), List.of(s.offset()),
            List.of(s.value()), ops, "acknowledged at offset " + s.offset()
                + ", never read, though polls read up to offset " + highest));
      } else {
        out.add(new Anomaly(AnomalyType.UNSEEN, s.partition(),
            s.offset() >= 0 ? List.of(s.offset()) : List.of(), List.of(s.value()), ops,
            "acknowledged" + (s.offset() >= 0 ? " at offset " + s.offset() : "")
                + ", never read; polls read up to offset " + highest));
      }
    }
  }
}
