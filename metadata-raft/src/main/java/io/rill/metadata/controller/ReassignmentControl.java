package io.rill.metadata.controller;

import io.rill.metadata.command.AlterPartitionReassignmentsRequest;
import io.rill.metadata.command.AlterPartitionReassignmentsResponse;
import io.rill.metadata.command.PartitionReassignment;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.BrokerIdList;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionChangeRecord;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Partition reassignment (KIP-455), as KRaft's controller does it:
 *
 * <ol>
 *   <li>Start: the replicas become the target followed by the current ones not in it; those of
 *       the target not yet replicas are <em>adding</em>, the current ones not in the target
 *       <em>removing</em>. Adding replicas fetch from the leader like any follower and the
 *       leader adds them to the ISR once caught up (AlterPartition).
 *   <li>Complete, in the same command that makes the last adding replica in-sync (or at once
 *       when nothing is added): the replicas become the target, the removing ones leave the ISR,
 *       and if the leader was one of them the first active in-sync target replica takes over.
 *       Never with an empty ISR: a reassignment whose target has no in-sync member waits.
 *   <li>Cancel: back to the original replicas (the adding ones leave), if one of them is in sync.
 * </ol>
 *
 * <p>A new target for a partition already being reassigned starts over from the current replica
 * set, so replicas added by the old target and not in the new one are removed.
 */
final class ReassignmentControl {
  private ReassignmentControl() {}

  static ControllerResult<AlterPartitionReassignmentsResponse> alter(
      MetadataImage image, AlterPartitionReassignmentsRequest req) {
    List<MetadataRecord> records = new ArrayList<>();
    AlterPartitionReassignmentsResponse.Builder resp =
        AlterPartitionReassignmentsResponse.newBuilder();
    Set<String> seen = new HashSet<>();
    for (PartitionReassignment r : req.getPartitionsList()) {
      Optional<TopicImage> t = image.topic(r.getTopic());
      Refusal refusal;
      if (!seen.add(r.getTopic() + "-" + r.getPartition())) {
        refusal = new Refusal(Errors.INVALID_REQUEST, "partition listed twice");
      } else if (t.isEmpty() || r.getPartition() < 0
          || r.getPartition() >= t.get().numPartitions()) {
        refusal = new Refusal(Errors.UNKNOWN_TOPIC_OR_PARTITION, "no such partition");
      } else {
        PartitionRegistration part = t.get().partition(r.getPartition());
        refusal = r.getCancel() ? cancel(t.get(), r.getPartition(), part, image, records)
            : start(t.get(), r.getPartition(), part, r.getReplicasList(),
                req.getAllowReplicationFactorChange(), image, records);
      }
      resp.addResults(refusal == null
          ? ElectionControl.result(r.getTopic(), r.getPartition(), Errors.NONE, null)
          : ElectionControl.result(r.getTopic(), r.getPartition(), refusal.error(),
              refusal.message()));
    }
    return ControllerResult.of(records, resp.build());
  }

  /** Why one partition's reassignment was refused. */
  private record Refusal(Errors error, String message) {
    static Refusal invalid(String message) {
      return new Refusal(Errors.INVALID_REPLICA_ASSIGNMENT, message);
    }
  }

  /** Adds the records starting a reassignment to {@code target}, or says why it cannot. */
  private static Refusal start(TopicImage t, int p, PartitionRegistration part,
      List<Integer> target, boolean allowRfChange, MetadataImage image,
      List<MetadataRecord> records) {
    if (target.isEmpty()) {
      return Refusal.invalid("The target replica list is empty.");
    }
    if (new HashSet<>(target).size() != target.size()) {
      return Refusal.invalid("The target replica list " + target + " has duplicates.");
    }
    for (int b : target) {
      if (image.broker(b).isEmpty()) {
        return Refusal.invalid("The target replica list includes broker " + b
            + ", which is not registered.");
      }
    }
    if (!allowRfChange && target.size() != part.targetReplicas().size()) {
      return new Refusal(Errors.INVALID_REPLICATION_FACTOR, "The replication factor of "
          + t.name() + "-" + p + " is " + part.targetReplicas().size() + "; the target " + target
          + " would change it.");
    }
    if (target.equals(part.targetReplicas())) {
      return null; // already there, or already on its way there
    }
    List<Integer> replicas = new ArrayList<>(target);
    part.replicas().stream().filter(b -> !target.contains(b)).forEach(replicas::add);
    List<Integer> adding = target.stream().filter(b -> !part.replicas().contains(b)).toList();
    List<Integer> removing = part.replicas().stream().filter(b -> !target.contains(b)).toList();
    PartitionRegistration started = part.reassign(replicas, adding, removing, part.leader(),
        part.isr());
    Optional<PartitionRegistration> done = completed(image, started, part.isr());
    records.add(record(t.id(), p, done.orElse(started)));
    return null;
  }

  private static Refusal cancel(TopicImage t, int p, PartitionRegistration part,
      MetadataImage image, List<MetadataRecord> records) {
    if (!part.reassigning()) {
      return new Refusal(Errors.NO_REASSIGNMENT_IN_PROGRESS,
          "No reassignment of " + t.name() + "-" + p + " is in progress.");
    }
    List<Integer> original = part.originalReplicas();
    List<Integer> isr = part.isr().stream().filter(original::contains).toList();
    if (isr.isEmpty()) {
      return Refusal.invalid("Cannot cancel: none of the original replicas " + original
          + " is in sync (ISR " + part.isr() + ").");
    }
    int leader = isr.contains(part.leader()) ? part.leader()
        : PartitionControl.electLeader(image, original, isr, -1);
    records.add(record(t.id(), p, part.reassign(original, List.of(), List.of(), leader, isr)));
    return null;
  }

  /**
   * The registration completing {@code part}'s reassignment when {@code isr} (the ISR it is
   * about to have) holds every adding replica and some target replica; empty otherwise.
   */
  static Optional<PartitionRegistration> completed(MetadataImage image,
      PartitionRegistration part, List<Integer> isr) {
    if (!part.reassigning() || !isr.containsAll(part.addingReplicas())) {
      return Optional.empty();
    }
    List<Integer> target = part.targetReplicas();
    List<Integer> targetIsr = isr.stream().filter(target::contains).toList();
    if (targetIsr.isEmpty()) {
      return Optional.empty();
    }
    int leader = part.leader();
    if (!targetIsr.contains(leader)) {
      leader = PartitionControl.electLeader(image, target, targetIsr, -1);
      if (leader == PartitionRegistration.NO_LEADER && part.hasLeader()) {
        return Optional.empty(); // no live target replica to hand the leadership to yet
      }
    }
    return Optional.of(part.reassign(target, List.of(), List.of(), leader, targetIsr));
  }

  /** A change record taking a partition to {@code next}'s replicas, ISR and leader. */
  static MetadataRecord record(UUID topicId, int partition, PartitionRegistration next) {
    return MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
        .setTopicId(Uuids.toProto(topicId)).setPartition(partition).setLeader(next.leader())
        .setIsr(BrokerIdList.newBuilder().addAllIds(next.isr()))
        .setReplicas(BrokerIdList.newBuilder().addAllIds(next.replicas()))
        .setAddingReplicas(BrokerIdList.newBuilder().addAllIds(next.addingReplicas()))
        .setRemovingReplicas(BrokerIdList.newBuilder().addAllIds(next.removingReplicas())))
        .build();
  }
}
