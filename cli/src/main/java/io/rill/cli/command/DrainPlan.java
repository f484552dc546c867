package io.rill.cli.command;

import io.rill.client.Reassignments.Tp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the replicas of a broker being drained go (pure: tested without a cluster). Each
 * partition that has the broker as a replica gets, in its place (so the preference order is
 * kept), the live broker not already a replica of it that holds the fewest replicas so far,
 * the lowest id on a tie; the counts grow as the plan assigns, so the load spreads evenly.
 */
final class DrainPlan {
  private DrainPlan() {}

  /** The plan, or a partition no other live broker can take (then nothing may move). */
  record Outcome(Map<Tp, List<Integer>> targets, Optional<Tp> stuck) {}

  static Outcome plan(int drained, Map<Tp, List<Integer>> replicas, List<Integer> liveBrokers) {
    Map<Integer, Integer> load = new HashMap<>();
    for (int b : liveBrokers) {
      if (b != drained) {
        load.put(b, 0);
      }
    }
    replicas.values().forEach(rs -> rs.forEach(b -> load.computeIfPresent(b, (k, n) -> n + 1)));
    Map<Tp, List<Integer>> targets = new LinkedHashMap<>();
    for (Map.Entry<Tp, List<Integer>> e : replicas.entrySet()) {
      List<Integer> current = e.getValue();
      int at = current.indexOf(drained);
      if (at < 0) {
        continue;
      }
      Optional<Integer> taker = load.keySet().stream().filter(b -> !current.contains(b))
          .min(Comparator.<Integer>comparingInt(load::get).thenComparingInt(b -> b));
      if (taker.isEmpty()) {
        return new Outcome(Map.of(), Optional.of(e.getKey()));
      }
      List<Integer> target = new ArrayList<>(current);
      target.set(at, taker.get());
      load.merge(taker.get(), 1, Integer::sum);
      targets.put(e.getKey(), target);
    }
    return new Outcome(targets, Optional.empty());
  }
}
