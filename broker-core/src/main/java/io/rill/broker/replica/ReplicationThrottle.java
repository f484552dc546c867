package io.rill.broker.replica;

import io.rill.broker.log.TopicPartition;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;

/**
 * Replication throttling (KIP-73), as {@code kafka-reassign-partitions --throttle} sets it up:
 * a byte rate per side of this broker ({@code leader.replication.throttled.rate}, {@code
 * follower.replication.throttled.rate}, dynamic broker configs) applied to the replicas a topic
 * lists in {@code leader.replication.throttled.replicas} / {@code
 * follower.replication.throttled.replicas} ({@code PARTITION:BROKER,...} or {@code *}) whose
 * entry names this broker. Only replicas outside the ISR are throttled, so a reassignment's new
 * replicas copy slowly while in-sync followers are never held back (and acks=all never waits on
 * a throttle). The leader answers a throttled fetch with no records once its rate is spent; the
 * follower leaves a throttled partition out of its fetch once its own rate is spent.
 *
 * <p>Thread-safe: {@link #update} runs on the metadata loader thread, the rest on fetch
 * handlers and replica fetchers.
 */
public final class ReplicationThrottle {
  public static final String LEADER_RATE = "leader.replication.throttled.rate";
  public static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
  static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
  static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

  private final int localId;
  private final ReplicationQuota leader = new ReplicationQuota(ReplicationQuota.WINDOWS,
      ReplicationQuota.WINDOW_MS);
  private final ReplicationQuota follower = new ReplicationQuota(ReplicationQuota.WINDOWS,
      ReplicationQuota.WINDOW_MS);
  private volatile MetadataImage image = MetadataImage.EMPTY;

  public ReplicationThrottle(int localId) {
    this.localId = localId;
  }

  public void update(MetadataImage image, long leaderRate, long followerRate) {
    this.image = image;
    leader.setRate(leaderRate);
    follower.setRate(followerRate);
  }

  /** On the leader: whether a fetch of {@code tp} by {@code replicaId} is throttled traffic. */
  boolean leaderThrottles(TopicPartition tp, int replicaId, java.util.List<Integer> isr) {
    return leader.bounded() && !isr.contains(replicaId) && listed(LEADER_REPLICAS, tp);
  }

  /** On a follower: whether this broker's fetch of {@code tp} is throttled traffic. */
  boolean followerThrottles(TopicPartition tp) {
    if (!follower.bounded() || !listed(FOLLOWER_REPLICAS, tp)) {
      return false;
    }
    return image.topic(tp.topic()).filter(t -> tp.partition() < t.numPartitions())
        .map(t -> t.partition(tp.partition())).map(PartitionRegistration::isr)
        .map(isr -> !isr.contains(localId)).orElse(false);
  }

  ReplicationQuota leaderQuota() {
    return leader;
  }

  ReplicationQuota followerQuota() {
    return follower;
  }

  private boolean listed(String key, TopicPartition tp) {
    String value = image.configs(ConfigResource.topic(tp.topic())).get(key);
    return value != null && listed(value, tp.partition(), localId);
  }

  /** Whether a throttled-replicas list ({@code *} or {@code P:B,...}) names (partition, broker). */
  static boolean listed(String value, int partition, int broker) {
    String v = value.trim();
    if (v.equals("*")) {
      return true;
    }
    for (String entry : v.split(",")) {
      String[] pb = entry.trim().split(":");
      if (pb.length == 2 && pb[0].trim().equals(Integer.toString(partition))
          && pb[1].trim().equals(Integer.toString(broker))) {
        return true;
      }
    }
    return false;
  }
}
