package io.rill.metadata.controller;

import io.rill.metadata.command.ElectLeadersRequest;
import io.rill.metadata.command.ElectLeadersResponse;
import io.rill.metadata.command.ElectionType;
import io.rill.metadata.command.PartitionRef;
import io.rill.metadata.command.PartitionResult;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.record.MetadataRecord;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ElectLeaders API (KIP-183, KIP-460), decided per partition against the image:
 *
 * <ul>
 *   <li>PREFERRED: the first replica leads when it is an active ISR member; ELECTION_NOT_NEEDED
 *       when it already does, PREFERRED_LEADER_NOT_AVAILABLE when it cannot. Never unclean.
 *   <li>UNCLEAN: only for a leaderless partition (else ELECTION_NOT_NEEDED): an active ISR member
 *       if one lives, else the first active replica outside the ISR, which then forms the ISR
 *       alone (the loss is logged); ELIGIBLE_LEADERS_NOT_AVAILABLE when no replica lives.
 * </ul>
 *
 * <p>Asked for every partition, the answer leaves out those that needed no election, as Kafka's
 * controller does; asked for a list, every listed partition gets a result.
 */
final class ElectionControl {
  private ElectionControl() {}

  static ControllerResult<ElectLeadersResponse> electLeaders(
      MetadataImage image, ElectLeadersRequest req) {
    List<MetadataRecord> records = new ArrayList<>();
    ElectLeadersResponse.Builder resp = ElectLeadersResponse.newBuilder();
    boolean unclean = req.getElectionType() == ElectionType.UNCLEAN;
    if (req.getAllPartitions()) {
      for (TopicImage t : image.topics().values()) {
        for (int p = 0; p < t.numPartitions(); p++) {
          PartitionResult r = elect(image, t, p, unclean, records);
          if (r.getErrorCode() != Errors.ELECTION_NOT_NEEDED.code) {
            resp.addResults(r);
          }
        }
      }
      return ControllerResult.of(records, resp.build());
    }
    Set<String> seen = new HashSet<>();
    for (PartitionRef ref : req.getPartitionsList()) {
      if (!seen.add(ref.getTopic() + "-" + ref.getPartition())) {
        continue; // asked twice: one answer, as Kafka's set of partitions gives
      }
      Optional<TopicImage> t = image.topic(ref.getTopic());
      if (t.isEmpty() || ref.getPartition() < 0
          || ref.getPartition() >= t.get().numPartitions()) {
        resp.addResults(result(ref.getTopic(), ref.getPartition(),
            Errors.UNKNOWN_TOPIC_OR_PARTITION, "no such partition"));
        continue;
      }
      resp.addResults(elect(image, t.get(), ref.getPartition(), unclean, records));
    }
    return ControllerResult.of(records, resp.build());
  }

  private static PartitionResult elect(MetadataImage image, TopicImage t, int p, boolean unclean,
      List<MetadataRecord> records) {
    PartitionRegistration part = t.partition(p);
    if (!unclean) {
      int preferred = part.replicas().get(0);
      if (part.leader() == preferred) {
        return result(t.name(), p, Errors.ELECTION_NOT_NEEDED, null);
      }
      if (!part.isr().contains(preferred) || !image.isActiveBroker(preferred)) {
        return result(t.name(), p, Errors.PREFERRED_LEADER_NOT_AVAILABLE, "preferred replica "
            + preferred + " is not an active in-sync replica (ISR " + part.isr() + ")");
      }
      records.add(PartitionControl.change(t.id(), p, preferred, part.isr()));
      return result(t.name(), p, Errors.NONE, null);
    }
    if (part.hasLeader()) {
      return result(t.name(), p, Errors.ELECTION_NOT_NEEDED, null);
    }
    int leader = PartitionControl.electLeader(image, part.replicas(), part.isr(), -1);
    List<Integer> isr = part.isr();
    if (leader == PartitionRegistration.NO_LEADER) {
      leader = PartitionControl.electUnclean(image, part.replicas(), -1);
      if (leader == PartitionRegistration.NO_LEADER) {
        return result(t.name(), p, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE,
            "no replica of " + part.replicas() + " is an active broker");
      }
      PartitionControl.warnUnclean(t.name(), p, leader, part.isr());
      isr = List.of(leader);
    }
    records.add(PartitionControl.change(t.id(), p, leader, isr));
    return result(t.name(), p, Errors.NONE, null);
  }

  static PartitionResult result(String topic, int partition, Errors error, String message) {
    PartitionResult.Builder r = PartitionResult.newBuilder().setTopic(topic)
        .setPartition(partition).setErrorCode(error.code);
    if (message != null) {
      r.setErrorMessage(message);
    }
    return r.build();
  }
}
