package io.rill.metadata.image;

import io.rill.protocol.util.Checks;
import java.util.HashSet;
import java.util.List;

/**
 * One partition's replica set, in-sync replicas, leadership and reassignment in progress.
 *
 * <p>Invariants: replicas are distinct and non-empty; while a reassignment runs (KIP-455) the
 * replicas are the target followed by the current ones that leave, {@code addingReplicas} the
 * target's members not yet done and {@code removingReplicas} those that leave, both disjoint
 * subsets of the replicas, both empty otherwise; the ISR is a non-empty subset of the
 * replicas (when no member is live the last one stays, so an unclean election can be
 * detected, as KRaft does); the leader is an ISR member or {@link #NO_LEADER}; epochs are never
 * negative and, across successive registrations of the same partition, never decrease.
 */
public record PartitionRegistration(
    List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch,
    List<Integer> addingReplicas, List<Integer> removingReplicas) {

  public static final int NO_LEADER = -1;

  public PartitionRegistration {
    replicas = List.copyOf(replicas);
    isr = List.copyOf(isr);
    addingReplicas = List.copyOf(addingReplicas);
    removingReplicas = List.copyOf(removingReplicas);
    Checks.argument(replicas.containsAll(addingReplicas) && replicas.containsAll(removingReplicas)
        && addingReplicas.stream().noneMatch(removingReplicas::contains),
        "adding %s and removing %s must be disjoint subsets of replicas %s", addingReplicas,
        removingReplicas, replicas);
    Checks.argument(!replicas.isEmpty(), "no replicas");
    Checks.argument(new HashSet<>(replicas).size() == replicas.size(), "duplicate replicas %s", replicas);
    Checks.argument(!isr.isEmpty(), "empty isr");
    Checks.argument(new HashSet<>(isr).size() == isr.size(), "duplicate isr %s", isr);
    Checks.argument(replicas.containsAll(isr), "isr %s not within replicas %s", isr, replicas);
    Checks.argument(leader == NO_LEADER || isr.contains(leader), "leader %s not in isr %s", leader, isr);
    Checks.argument(leaderEpoch >= 0 && partitionEpoch >= 0, "negative epoch %s/%s", leaderEpoch, partitionEpoch);
  }

  /** A partition with no reassignment in progress. */
  public PartitionRegistration(
      List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
    this(replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
  }

  public boolean hasLeader() {
    return leader != NO_LEADER;
  }

  /** Whether a reassignment is in progress. */
  public boolean reassigning() {
    return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
  }

  /** The replicas a reassignment in progress moves to (the replicas themselves otherwise). */
  public List<Integer> targetReplicas() {
    return replicas.stream().filter(r -> !removingReplicas.contains(r)).toList();
  }

  /** The replicas before the reassignment in progress began (the replicas otherwise). */
  public List<Integer> originalReplicas() {
    return replicas.stream().filter(r -> !addingReplicas.contains(r)).toList();
  }

  /**
   * The next registration with another replica set (a reassignment's start, completion or
   * cancellation): as {@link #merge}, the partition epoch grows and the leader epoch grows when
   * the leader changes.
   */
  public PartitionRegistration reassign(List<Integer> newReplicas, List<Integer> adding,
      List<Integer> removing, int newLeader, List<Integer> newIsr) {
    int newLeaderEpoch = newLeader == leader ? leaderEpoch : leaderEpoch + 1;
    return new PartitionRegistration(newReplicas, newIsr, newLeader, newLeaderEpoch,
        partitionEpoch + 1, adding, removing);
  }

  /**
   * The next registration after a change: the partition epoch always grows, the leader epoch
   * grows when the leader changes (KRaft's {@code PartitionRegistration.merge}).
   */
  public PartitionRegistration merge(int newLeader, List<Integer> newIsr) {
    return reassign(replicas, addingReplicas, removingReplicas, newLeader, newIsr);
  }
}
