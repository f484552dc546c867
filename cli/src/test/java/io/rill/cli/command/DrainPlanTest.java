package io.rill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.client.Reassignments.Tp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DrainPlanTest {
  @Test
  void eachReplicaOfTheDrainedBrokerGoesToTheLeastLoadedBrokerNotAlreadyAReplica() {
    Map<Tp, List<Integer>> replicas = new TreeMap<>();
    replicas.put(new Tp("a", 0), List.of(1, 2, 3));
    replicas.put(new Tp("a", 1), List.of(3, 1, 4));
    replicas.put(new Tp("a", 2), List.of(2, 3, 4));
    replicas.put(new Tp("b", 0), List.of(4, 5));
    DrainPlan.Outcome plan = DrainPlan.plan(3, replicas, List.of(1, 2, 3, 4, 5));
    assertThat(plan.stuck()).isEmpty();
    // Loads before: 1:2, 2:2, 4:3, 5:1. a-0 takes 5 (least), then 5 has 2; a-1 (1, 4 taken)
    // takes 2 or 5 at 2 each: the lower id, 2; a-2 (2, 4 taken) takes 5 or 1: 1 and 5 both at
    // 2 now, so 1. The drained broker's place in the order is kept.
    assertThat(plan.targets()).containsExactly(
        Map.entry(new Tp("a", 0), List.of(1, 2, 5)),
        Map.entry(new Tp("a", 1), List.of(2, 1, 4)),
        Map.entry(new Tp("a", 2), List.of(2, 1, 4)));
    Map<Integer, Integer> after = new HashMap<>();
    replicas.forEach((tp, rs) -> plan.targets().getOrDefault(tp, rs)
        .forEach(b -> after.merge(b, 1, Integer::sum)));
    assertThat(after).doesNotContainKey(3);
  }

  @Test
  void aPartitionNoOtherBrokerCanTakeStopsThePlan() {
    Map<Tp, List<Integer>> replicas = Map.of(new Tp("full", 0), List.of(1, 2, 3));
    DrainPlan.Outcome plan = DrainPlan.plan(2, replicas, List.of(1, 2, 3));
    assertThat(plan.stuck()).contains(new Tp("full", 0));
    assertThat(plan.targets()).isEmpty();
  }

  @Test
  void aBrokerHoldingNothingHasAnEmptyPlan() {
    DrainPlan.Outcome plan = DrainPlan.plan(9, Map.of(new Tp("t", 0), List.of(1)), List.of(1, 9));
    assertThat(plan.targets()).isEmpty();
    assertThat(plan.stuck()).isEmpty();
  }
}
