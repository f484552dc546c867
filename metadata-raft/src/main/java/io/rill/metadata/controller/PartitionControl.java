package io.rill.metadata.controller;

import io.rill.metadata.command.AlterPartitionItem;
import io.rill.metadata.command.AlterPartitionItemResult;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.AlterPartitionResponse;
import io.rill.metadata.config.TopicConfigs;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.BrokerIdList;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionChangeRecord;
import io.rill.metadata.record.ResourceType;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership and ISR changes: moving leaders off a broker being fenced, electing leaders for
 * leaderless partitions when a broker comes back, and AlterPartition from partition leaders.
 *
 * <p>Rules (KRaft, KIP-841): a leader is always an ISR member that is active (registered and
 * unfenced); the ISR never shrinks below one member, so the last member of a partition with no
 * live replica stays recorded and only it may become leader again — unless unclean election is
 * on for the topic, when any active replica may lead, alone in the ISR, and the loss is logged;
 * epochs are bumped by replay, never here.
 */
public final class PartitionControl {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionControl.class);
  private static final String UNCLEAN = TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE;

  private PartitionControl() {}

  /** Records removing {@code brokerId} from every ISR and moving its leaderships away. */
  static List<MetadataRecord> moveAwayFrom(MetadataImage image, int brokerId) {
    List<MetadataRecord> records = new ArrayList<>();
    for (TopicImage t : image.topics().values()) {
      for (int p = 0; p < t.numPartitions(); p++) {
        PartitionRegistration part = t.partition(p);
        if (!part.isr().contains(brokerId)) {
          continue;
        }
        List<Integer> isr = part.isr().size() > 1
            ? part.isr().stream().filter(b -> b != brokerId).toList()
            : part.isr();
        int leader = part.leader();
        if (leader == brokerId) {
          leader = electLeader(image, part.replicas(), isr, brokerId);
          if (leader == PartitionRegistration.NO_LEADER && uncleanAllowed(image, t.name())) {
            leader = electUnclean(image, part.replicas(), brokerId);
            if (leader != PartitionRegistration.NO_LEADER) {
              warnUnclean(t.name(), p, leader, part.isr());
              isr = List.of(leader);
            }
          }
        }
        if (leader != part.leader() || !isr.equals(part.isr())) {
          records.add(change(t.id(), p, leader, isr));
        }
      }
    }
    return records;
  }

  /** Records making {@code brokerId} leader of the leaderless partitions whose ISR has it. */
  static List<MetadataRecord> electLeaderless(MetadataImage image, int brokerId) {
    List<MetadataRecord> records = new ArrayList<>();
    for (TopicImage t : image.topics().values()) {
      for (int p = 0; p < t.numPartitions(); p++) {
        PartitionRegistration part = t.partition(p);
        if (!part.hasLeader() && part.isr().contains(brokerId)) {
          records.add(change(t.id(), p, brokerId, part.isr()));
        } else if (!part.hasLeader() && part.replicas().contains(brokerId)
            && uncleanAllowed(image, t.name())) {
          warnUnclean(t.name(), p, brokerId, part.isr());
          records.add(change(t.id(), p, brokerId, List.of(brokerId)));
        }
      }
    }
    return records;
  }

  /** The most preferred-leader elections one command makes (Kafka's pass size). */
  static final int PREFERRED_ELECTIONS_PER_COMMAND_MAX = 1000;

  /**
   * Records giving each partition back to its preferred replica (the first), where that replica
   * is an active ISR member and not the leader: KIP-460's PREFERRED election, which is never
   * unclean. Leadership moved away by failures thus returns once the broker is back in sync.
   */
  public static List<MetadataRecord> electPreferredLeaders(MetadataImage image) {
    List<MetadataRecord> records = new ArrayList<>();
    for (TopicImage t : image.topics().values()) {
      for (int p = 0; p < t.numPartitions(); p++) {
        PartitionRegistration part = t.partition(p);
        int preferred = part.replicas().get(0);
        if (part.leader() != preferred && part.isr().contains(preferred)
            && image.isActiveBroker(preferred)) {
          records.add(change(t.id(), p, preferred, part.isr()));
          if (records.size() == PREFERRED_ELECTIONS_PER_COMMAND_MAX) {
            return records;
          }
        }
      }
    }
    return records;
  }

  /**
   * Whether a leaderless partition of {@code topic} may take an out-of-sync leader: the topic's
   * {@code unclean.leader.election.enable}, else the cluster-wide dynamic broker default, else
   * false (Kafka's default). A node file's static value is not visible to the controller.
   */
  static boolean uncleanAllowed(MetadataImage image, String topic) {
    String v = image.configs(ConfigResource.topic(topic)).get(UNCLEAN);
    if (v == null) {
      v = image.configs(new ConfigResource(ResourceType.BROKER, "")).get(UNCLEAN);
    }
    return Boolean.parseBoolean(v);
  }

  /** The first active replica other than {@code excluded}, in preference order. */
  static int electUnclean(MetadataImage image, List<Integer> replicas, int excluded) {
    for (int r : replicas) {
      if (r != excluded && image.isActiveBroker(r)) {
        return r;
      }
    }
    return PartitionRegistration.NO_LEADER;
  }

  /** An unclean election loses whatever the last ISR had that the new leader lacks: say so. */
  static void warnUnclean(String topic, int partition, int leader, List<Integer> isr) {
    LOG.warn("UNCLEAN leader election for {}-{}: broker {} leads although it was not in the ISR"
        + " {}; records acknowledged by the ISR but missing on broker {} are LOST"
        + " (unclean.leader.election.enable=true)", topic, partition, leader, isr, leader);
  }

  /** The first replica (in preference order) that is in the ISR, active and not excluded. */
  static int electLeader(
      MetadataImage image, List<Integer> replicas, List<Integer> isr, int excluded) {
    for (int r : replicas) {
      if (r != excluded && isr.contains(r) && image.isActiveBroker(r)) {
        return r;
      }
    }
    return PartitionRegistration.NO_LEADER;
  }

  static MetadataRecord change(UUID topicId, int partition, int leader, List<Integer> isr) {
    return MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
        .setTopicId(Uuids.toProto(topicId)).setPartition(partition).setLeader(leader)
        .setIsr(BrokerIdList.newBuilder().addAllIds(isr))).build();
  }

  static ControllerResult<AlterPartitionResponse> alterPartition(
      MetadataImage image, AlterPartitionRequest req) {
    Errors brokerError = ClusterControl.checkBrokerEpoch(image, req.getBrokerId(),
        req.getBrokerEpoch());
    if (brokerError != Errors.NONE) {
      return ControllerResult.noRecords(
          AlterPartitionResponse.newBuilder().setErrorCode(brokerError.code).build());
    }
    List<MetadataRecord> records = new ArrayList<>();
    AlterPartitionResponse.Builder resp = AlterPartitionResponse.newBuilder();
    Set<String> seen = new HashSet<>();
    for (AlterPartitionItem item : req.getPartitionsList()) {
      AlterPartitionItemResult.Builder result = AlterPartitionItemResult.newBuilder()
          .setTopicId(item.getTopicId()).setPartition(item.getPartition());
      UUID topicId = Uuids.fromProto(item.getTopicId());
      if (!seen.add(topicId + "-" + item.getPartition())) {
        resp.addPartitions(result.setErrorCode(Errors.INVALID_REQUEST.code));
        continue;
      }
      Optional<TopicImage> topic = image.topic(topicId);
      Errors error = topic.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
          : item.getPartition() < 0 || item.getPartition() >= topic.get().numPartitions()
              ? Errors.UNKNOWN_TOPIC_OR_PARTITION
              : checkAlter(image, req.getBrokerId(), topic.get().partition(item.getPartition()),
                  item);
      if (error != Errors.NONE) {
        resp.addPartitions(result.setErrorCode(error.code));
        continue;
      }
      PartitionRegistration current = topic.get().partition(item.getPartition());
      PartitionRegistration next = current;
      Optional<PartitionRegistration> reassigned =
          ReassignmentControl.completed(image, current, item.getNewIsrList());
      if (reassigned.isPresent()) {
        // The last adding replica caught up: the reassignment completes in this change.
        next = reassigned.get();
        records.add(ReassignmentControl.record(topicId, item.getPartition(), next));
      } else if (!current.isr().equals(item.getNewIsrList())) {
        next = current.merge(current.leader(), item.getNewIsrList());
        records.add(change(topicId, item.getPartition(), current.leader(),
            item.getNewIsrList()));
      }
      resp.addPartitions(result.setLeader(next.leader()).setLeaderEpoch(next.leaderEpoch())
          .addAllIsr(next.isr()).setPartitionEpoch(next.partitionEpoch()));
    }
    return ControllerResult.of(records, resp.build());
  }

  /** KRaft's {@code validateAlterPartitionData}: epochs compare-and-set, then the new ISR. */
  private static Errors checkAlter(MetadataImage image, int sender, PartitionRegistration current,
      AlterPartitionItem item) {
    if (item.getLeaderEpoch() > current.leaderEpoch()) {
      return Errors.NOT_CONTROLLER;
    }
    if (item.getLeaderEpoch() < current.leaderEpoch()) {
      return Errors.FENCED_LEADER_EPOCH;
    }
    if (sender != current.leader()) {
      return Errors.INVALID_REQUEST;
    }
    if (item.getPartitionEpoch() != current.partitionEpoch()) {
      return Errors.INVALID_UPDATE_VERSION;
    }
    List<Integer> isr = item.getNewIsrList();
    if (isr.isEmpty() || new HashSet<>(isr).size() != isr.size()
        || !current.replicas().containsAll(isr) || !isr.contains(current.leader())) {
      return Errors.INVALID_REQUEST;
    }
    for (int b : isr) {
      Optional<BrokerRegistration> reg = image.broker(b);
      if (reg.isEmpty() || !reg.get().isActive()) {
        return Errors.INELIGIBLE_REPLICA;
      }
    }
    return Errors.NONE;
  }
}
