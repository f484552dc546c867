package io.rill.chaos.nemesis;

import io.rill.chaos.cluster.ChaosCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Which node a fault hits: a random one, the metadata quorum's leader (DescribeQuorum), or the
 * leader of a random partition of the workload's topic (Metadata). When the cluster cannot say
 * (it is mid-fault), a random node. Used by the nemesis thread only.
 */
final class Targets {
  /** How long a fault waits for the cluster to name a leader before picking at random. */
  private static final long ASK_WAIT_MS = 3_000;

  private final ChaosCluster cluster;
  private final String topic;
  private final Random random;

  Targets(ChaosCluster cluster, String topic, Random random) {
    this.cluster = cluster;
    this.topic = topic;
    this.random = random;
  }

  /** A target node and how it was chosen ("random", "quorum-leader", "partition-leader"). */
  record Target(int node, String how) {}

  Target choose(List<Integer> candidates) {
    int which = random.nextInt(3);
    if (which == 1) {
      Integer leader = quorumLeader();
      if (leader != null && candidates.contains(leader)) {
        return new Target(leader, "quorum-leader");
      }
    } else if (which == 2) {
      Integer leader = partitionLeader();
      if (leader != null && candidates.contains(leader)) {
        return new Target(leader, "partition-leader");
      }
    }
    return new Target(candidates.get(random.nextInt(candidates.size())), "random");
  }

  private Integer quorumLeader() {
    try (Admin admin = cluster.admin()) {
      return admin.describeMetadataQuorum().quorumInfo().get(ASK_WAIT_MS, TimeUnit.MILLISECONDS)
          .leaderId();
    } catch (Exception e) {
      return null; // mid-fault: fall back to a random node
    }
  }

  private Integer partitionLeader() {
    try (Admin admin = cluster.admin()) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(ASK_WAIT_MS, TimeUnit.MILLISECONDS).get(topic);
      List<Integer> leaders = new ArrayList<>();
      for (TopicPartitionInfo p : d.partitions()) {
        if (p.leader() != null && p.leader().id() >= 0) {
          leaders.add(p.leader().id());
        }
      }
      return leaders.isEmpty() ? null : leaders.get(random.nextInt(leaders.size()));
    } catch (Exception e) {
      return null; // mid-fault: fall back to a random node
    }
  }
}
