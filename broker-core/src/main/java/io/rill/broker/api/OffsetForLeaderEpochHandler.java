package io.rill.broker.api;

import io.rill.broker.log.LeaderEpochCache;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import io.rill.protocol.message.OffsetForLeaderEpochRequest;
import io.rill.protocol.message.OffsetForLeaderEpochResponse;
import io.rill.protocol.schema.Struct;

/**
 * OffsetForLeaderEpoch (v2-4, KIP-101/KIP-320): for a leader epoch, the largest epoch at or
 * below it that this log has and the offset where that epoch ended (the next epoch's start, or
 * the log end for the current epoch). Consumers use it to detect log truncation after a leader
 * change; followers to find where to truncate.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler {
  private final BrokerServices services;

  OffsetForLeaderEpochHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    Struct response = new Struct(OffsetForLeaderEpochResponse.SCHEMA);
    for (Struct topic : request.get(OffsetForLeaderEpochRequest.TOPICS)) {
      String name = topic.get(OffsetForLeaderEpochRequest.TOPIC);
      Struct t = response.addElement(OffsetForLeaderEpochResponse.TOPICS)
          .set(OffsetForLeaderEpochResponse.TOPIC, name);
      for (Struct p : topic.get(OffsetForLeaderEpochRequest.PARTITIONS)) {
        int index = p.getInt(OffsetForLeaderEpochRequest.PARTITION);
        Struct entry = t.addElement(OffsetForLeaderEpochResponse.PARTITIONS)
            .set(OffsetForLeaderEpochResponse.PARTITION, index);
        answer(new TopicPartition(name, index),
            p.getInt(OffsetForLeaderEpochRequest.CURRENT_LEADER_EPOCH),
            p.getInt(OffsetForLeaderEpochRequest.LEADER_EPOCH), entry);
      }
    }
    ctx.respond(response);
  }

  private void answer(TopicPartition tp, int currentEpoch, int epoch, Struct entry) {
    ReplicaManager.Lookup leader = services.replicas().leader(tp);
    Errors error = leader.error();
    if (error == Errors.NONE) {
      Partition p = leader.partition();
      if (currentEpoch >= 0 && currentEpoch < p.leaderEpoch()) {
        error = Errors.FENCED_LEADER_EPOCH;
      } else if (currentEpoch > p.leaderEpoch()) {
        error = Errors.UNKNOWN_LEADER_EPOCH;
      } else {
        LeaderEpochCache.EpochEndOffset end = p.endOffsetForEpoch(epoch);
        entry.set(OffsetForLeaderEpochResponse.LEADER_EPOCH, end.epoch())
            .set(OffsetForLeaderEpochResponse.END_OFFSET, end.endOffset());
      }
    }
    entry.set(OffsetForLeaderEpochResponse.ERROR_CODE, error.code);
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(OffsetForLeaderEpochResponse.SCHEMA);
    for (Struct topic : request.get(OffsetForLeaderEpochRequest.TOPICS)) {
      Struct t = response.addElement(OffsetForLeaderEpochResponse.TOPICS)
          .set(OffsetForLeaderEpochResponse.TOPIC, topic.get(OffsetForLeaderEpochRequest.TOPIC));
      for (Struct p : topic.get(OffsetForLeaderEpochRequest.PARTITIONS)) {
        t.addElement(OffsetForLeaderEpochResponse.PARTITIONS)
            .set(OffsetForLeaderEpochResponse.PARTITION, p.getInt(OffsetForLeaderEpochRequest.PARTITION))
            .set(OffsetForLeaderEpochResponse.ERROR_CODE, error.code);
      }
    }
    return response;
  }
}
