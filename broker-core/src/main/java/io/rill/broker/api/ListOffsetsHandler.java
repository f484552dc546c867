package io.rill.broker.api;

import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ErrorMapping;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ListOffsetsRequest;
import io.rill.protocol.message.ListOffsetsResponse;
import io.rill.protocol.schema.Struct;
import java.util.Optional;

/**
 * ListOffsets (v1-8): latest (-1) is the high watermark (the last offset a consumer can read
 * up to — with no transactions also the last stable offset), earliest (-2, and -4 earliest
 * local) the log start offset, max timestamp (-3) the batch holding the largest timestamp, and a
 * timestamp the first offset whose batch reaches it (-1 when none below the high watermark).
 * A stale current leader epoch is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH.
 */
final class ListOffsetsHandler implements ApiHandler {
  private final BrokerServices services;

  ListOffsetsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    Struct response = new Struct(ListOffsetsResponse.SCHEMA);
    for (Struct topic : request.get(ListOffsetsRequest.TOPICS)) {
      String name = topic.get(ListOffsetsRequest.TOPIC_NAME);
      Struct t = response.addElement(ListOffsetsResponse.TOPICS)
          .set(ListOffsetsResponse.TOPIC_NAME, name);
      for (Struct p : topic.get(ListOffsetsRequest.PARTITIONS)) {
        int index = p.getInt(ListOffsetsRequest.PARTITION_INDEX);
        Struct entry = t.addElement(ListOffsetsResponse.PARTITIONS)
            .set(ListOffsetsResponse.PARTITION_INDEX, index);
        lookup(new TopicPartition(name, index), p.getLong(ListOffsetsRequest.TIMESTAMP),
            p.getInt(ListOffsetsRequest.CURRENT_LEADER_EPOCH), entry);
      }
    }
    ctx.respond(response);
  }

  private void lookup(TopicPartition tp, long timestamp, int currentEpoch, Struct entry) {
    ReplicaManager.Lookup leader = services.replicas().leader(tp);
    if (leader.error() != Errors.NONE) {
      entry.set(ListOffsetsResponse.ERROR_CODE, leader.error().code);
      return;
    }
    Partition p = leader.partition();
    if (currentEpoch >= 0 && currentEpoch != p.leaderEpoch()) {
      Errors e = currentEpoch < p.leaderEpoch() ? Errors.FENCED_LEADER_EPOCH
          : Errors.UNKNOWN_LEADER_EPOCH;
      entry.set(ListOffsetsResponse.ERROR_CODE, e.code);
      return;
    }
    try {
      Optional<TimestampOffset> found = find(p, timestamp);
      entry.set(ListOffsetsResponse.ERROR_CODE, Errors.NONE.code);
      found.ifPresent(f -> entry.set(ListOffsetsResponse.OFFSET, f.offset())
          .set(ListOffsetsResponse.TIMESTAMP, f.timestamp())
          .set(ListOffsetsResponse.LEADER_EPOCH, f.leaderEpoch()));
    } catch (RuntimeException e) {
      entry.set(ListOffsetsResponse.ERROR_CODE, ErrorMapping.forException(e).code);
    }
  }

  private static Optional<TimestampOffset> find(Partition p, long timestamp) {
    long hw = p.highWatermark();
    if (timestamp == PartitionLog.LATEST_TIMESTAMP) {
      return Optional.of(new TimestampOffset(-1L, hw, p.leaderEpoch()));
    }
    if (timestamp == PartitionLog.EARLIEST_TIMESTAMP
        || timestamp == PartitionLog.EARLIEST_LOCAL_TIMESTAMP) {
      return Optional.of(new TimestampOffset(-1L, p.logStartOffset(), -1));
    }
    return p.offsetForTimestamp(timestamp).filter(f -> f.offset() < hw);
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(ListOffsetsResponse.SCHEMA);
    for (Struct topic : request.get(ListOffsetsRequest.TOPICS)) {
      Struct t = response.addElement(ListOffsetsResponse.TOPICS)
          .set(ListOffsetsResponse.TOPIC_NAME, topic.get(ListOffsetsRequest.TOPIC_NAME));
      for (Struct p : topic.get(ListOffsetsRequest.PARTITIONS)) {
        t.addElement(ListOffsetsResponse.PARTITIONS)
            .set(ListOffsetsResponse.PARTITION_INDEX, p.getInt(ListOffsetsRequest.PARTITION_INDEX))
            .set(ListOffsetsResponse.ERROR_CODE, error.code);
      }
    }
    return response;
  }
}
