package io.rill.client;

import io.rill.client.Reassignments.Tp;
import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeLogDirsRequest;
import io.rill.protocol.message.DescribeLogDirsResponse;
import io.rill.protocol.schema.Struct;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The size on disk of every replica one broker holds, from DescribeLogDirs (KIP-113) asked of
 * that broker (each broker reports only its own log dirs). Future replicas (a move between a
 * broker's own dirs) are left out.
 */
public final class LogDirSizes {
  private LogDirSizes() {}

  /** Bytes per partition on {@code brokerId}; empty when it cannot say (down, or no API). */
  public static Optional<Map<Tp, Long>> of(KafkaClient client, int brokerId) {
    try {
      BrokerConnection c = client.node(brokerId);
      if (!c.supports(ApiKey.DESCRIBE_LOG_DIRS)) {
        return Optional.empty();
      }
      Struct resp = c.send(ApiKey.DESCRIBE_LOG_DIRS, new Struct(DescribeLogDirsRequest.SCHEMA)
          .set(DescribeLogDirsRequest.TOPICS, null));
      if (resp.get(DescribeLogDirsResponse.ERROR_CODE) != 0) {
        return Optional.empty();
      }
      Map<Tp, Long> sizes = new HashMap<>();
      for (Struct dir : resp.get(DescribeLogDirsResponse.RESULTS)) {
        for (Struct t : dir.get(DescribeLogDirsResponse.TOPICS)) {
          for (Struct p : t.get(DescribeLogDirsResponse.PARTITIONS)) {
            if (!p.get(DescribeLogDirsResponse.IS_FUTURE_KEY)) {
              sizes.merge(new Tp(t.get(DescribeLogDirsResponse.TOPIC_NAME),
                  p.get(DescribeLogDirsResponse.PARTITION_INDEX)),
                  p.get(DescribeLogDirsResponse.PARTITION_SIZE), Long::sum);
            }
          }
        }
      }
      return Optional.of(sizes);
    } catch (ClientException e) {
      return Optional.empty();
    }
  }
}
