package io.rill.metadata.image;

import io.rill.protocol.util.Checks;
import java.util.HashSet;
import java.util.List;

/**
 * One partition's replica set, in-sync replicas and leadership.
 *
 * <p>Invariants: replicas are distinct and non-empty; the ISR is a non-empty subset of the
 * replicas (when no member is live the last one stays, so an unclean election can be
 * detected, as KRaft does); the leader is an ISR member or {@link #NO_LEADER}; epochs are never
 * negative and, across successive registrations of the same partition, never decrease.
 */
public record PartitionRegistration(
    List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {

  public static final int NO_LEADER = -1;

  public PartitionRegistration {
    replicas = List.copyOf(replicas);
    isr = List.copyOf(isr);
    Checks.argument(!replicas.isEmpty(), "no replicas");
    Checks.argument(new HashSet<>(replicas).size() == replicas.size(), "duplicate replicas %s", replicas);
    Checks.argument(!isr.isEmpty(), "empty isr");
    Checks.argument(new HashSet<>(isr).size() == isr.size(), "duplicate isr %s", isr);
    Checks.argument(replicas.containsAll(isr), "isr %s not within replicas %s", isr, replicas);
    Checks.argument(leader == NO_LEADER || isr.contains(leader), "leader %s not in isr %s", leader, isr);
    Checks.argument(leaderEpoch >= 0 && partitionEpoch >= 0, "negative epoch %s/%s", leaderEpoch, partitionEpoch);
  }

  public boolean hasLeader() {
    return leader != NO_LEADER;
  }

  /**
   * The next registration after a change: the partition epoch always grows, the leader epoch
   * grows when the leader changes (KRaft's {@code PartitionRegistration.merge}).
   */
  public PartitionRegistration merge(int newLeader, List<Integer> newIsr) {
    int newLeaderEpoch = newLeader == leader ? leaderEpoch : leaderEpoch + 1;
    return new PartitionRegistration(replicas, newIsr, newLeader, newLeaderEpoch, partitionEpoch + 1);
  }
}
