package io.rill.client;

import io.rill.client.Reassignments.Tp;
import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeLogDirsRequest;
import io.rill.protocol.message.DescribeLogDirsResponse;
import io.rill.protocol.schema.Struct;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replicas one broker holds, from DescribeLogDirs (KIP-113) asked of that broker (each broker
 * reports only its own log dirs): their size on disk and, for compacted topics on a Rill broker,
 * how clean they are. Future replicas (a move between a broker's own dirs) are left out.
 */
public final class LogDirReplicas {
  /**
   * One replica on one broker.
   *
   * @param cleanableRatio the dirty share of what its cleaner may work on; -1 when its topic is
   *     not compacted or the broker does not say (Kafka)
   * @param lastCleaningMs when its last cleaning ended (epoch ms); -1 for none since the
   *     broker started
   * @param uncleanable its cleaning failed and the broker no longer compacts it
   */
  public record Replica(long sizeBytes, double cleanableRatio, long lastCleaningMs,
      boolean uncleanable) {
    /** Whether the broker reported on compaction (a Rill broker, a compacted topic). */
    public boolean compacted() {
      return cleanableRatio >= 0;
    }
  }

  private LogDirReplicas() {}

  /**
   * The replicas of {@code partitions} (partition numbers by topic; null: every replica) on
   * {@code brokerId}; empty when it cannot say (down, or no API). Partitions it holds no replica
   * of are absent.
   */
  public static Optional<Map<Tp, Replica>> of(KafkaClient client, int brokerId,
      Map<String, ? extends Collection<Integer>> partitions) {
    try {
      BrokerConnection c = client.node(brokerId);
      if (!c.supports(ApiKey.DESCRIBE_LOG_DIRS)) {
        return Optional.empty();
      }
      Struct request = new Struct(DescribeLogDirsRequest.SCHEMA);
      if (partitions == null) {
        request.set(DescribeLogDirsRequest.TOPICS, null);
      } else {
        partitions.forEach((topic, numbers) -> request.addElement(DescribeLogDirsRequest.TOPICS)
            .set(DescribeLogDirsRequest.TOPIC, topic)
            .set(DescribeLogDirsRequest.PARTITIONS, List.copyOf(numbers)));
      }
      Struct resp = c.send(ApiKey.DESCRIBE_LOG_DIRS, request);
      if (resp.get(DescribeLogDirsResponse.ERROR_CODE) != 0) {
        return Optional.empty();
      }
      Map<Tp, Replica> replicas = new HashMap<>();
      for (Struct dir : resp.get(DescribeLogDirsResponse.RESULTS)) {
        for (Struct t : dir.get(DescribeLogDirsResponse.TOPICS)) {
          for (Struct p : t.get(DescribeLogDirsResponse.PARTITIONS)) {
            if (!p.get(DescribeLogDirsResponse.IS_FUTURE_KEY)) {
              replicas.put(new Tp(t.get(DescribeLogDirsResponse.TOPIC_NAME),
                  p.get(DescribeLogDirsResponse.PARTITION_INDEX)), replica(p));
            }
          }
        }
      }
      return Optional.of(replicas);
    } catch (ClientException e) {
      return Optional.empty();
    }
  }

  private static Replica replica(Struct p) {
    return new Replica(p.get(DescribeLogDirsResponse.PARTITION_SIZE),
        p.get(DescribeLogDirsResponse.RILL_CLEANABLE_RATIO),
        p.get(DescribeLogDirsResponse.RILL_LAST_CLEANING_MS),
        p.get(DescribeLogDirsResponse.RILL_UNCLEANABLE));
  }
}
