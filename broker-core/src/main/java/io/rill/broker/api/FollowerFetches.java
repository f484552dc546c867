package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.purgatory.DelayedOperation;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.Partition.FollowerRead;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leader's side of a follower's Fetch (replica id >= 0: the top-level ReplicaId up to v14,
 * ReplicaState from v15), as Kafka's followers send it: per partition the current leader epoch
 * (older: FENCED_LEADER_EPOCH, newer: UNKNOWN_LEADER_EPOCH), the fetch offset (the follower's
 * log end) and its last fetched epoch. The answer is records up to the log end (not the high
 * watermark), zero-copy, or a DivergingEpoch with no records when the follower's log diverged;
 * the follower's progress raises the high watermark. With nothing new it waits (min bytes,
 * max wait) for an append to any of its partitions.
 */
final class FollowerFetches {
  private final BrokerServices services;

  FollowerFetches(BrokerServices services) {
    this.services = services;
  }

  /** The follower's broker id, or -1 for a consumer. */
  static int replicaId(RequestContext ctx, Struct request) {
    if (ctx.version() <= 14) {
      return request.getInt(FetchRequest.REPLICA_ID);
    }
    Struct state = request.get(FetchRequest.REPLICA_STATE);
    return state == null ? -1 : state.getInt(FetchRequest.STATE_REPLICA_ID);
  }

  /** One requested partition as the follower sent it. */
  private record Asked(String topic, java.util.UUID topicId, int partition, long fetchOffset,
      int lastFetchedEpoch, int currentLeaderEpoch, int maxBytes) {
    TopicPartition tp() {
      return new TopicPartition(topic, partition);
    }
  }

  void handle(RequestContext ctx, Struct request, int replicaId) {
    boolean byId = ctx.version() >= 13;
    List<Asked> asked = new ArrayList<>();
    for (Struct topic : request.get(FetchRequest.TOPICS)) {
      String name = byId ? services.replicas().topicName(topic.get(FetchRequest.TOPIC_ID))
          .orElse(null) : topic.get(FetchRequest.TOPIC);
      for (Struct p : topic.get(FetchRequest.PARTITIONS)) {
        asked.add(new Asked(name, topic.get(FetchRequest.TOPIC_ID),
            p.getInt(FetchRequest.PARTITION), p.getLong(FetchRequest.FETCH_OFFSET),
            p.getInt(FetchRequest.LAST_FETCHED_EPOCH), p.getInt(FetchRequest.CURRENT_LEADER_EPOCH),
            p.getInt(FetchRequest.PARTITION_MAX_BYTES)));
      }
    }
    int maxBytes = request.getInt(FetchRequest.MAX_BYTES);
    List<FollowerRead> first = read(replicaId, asked, maxBytes);
    int maxWaitMs = request.getInt(FetchRequest.MAX_WAIT_MS);
    boolean anything = first.stream().anyMatch(r -> r.error() != Errors.NONE || r.diverged()
        || (r.records() != null && r.records().length() > 0));
    if (anything || maxWaitMs <= 0 || asked.isEmpty()) {
      ctx.respond(response(asked, first));
      return;
    }
    DelayedOperation wait = new DelayedOperation(maxWaitMs) {
      @Override
      public boolean tryComplete() {
        for (Asked a : asked) {
          Optional<Partition> p = services.replicas().partition(a.tp());
          if (p.isEmpty() || !p.get().isLeader() || p.get().logEndOffset() > a.fetchOffset()
              || p.get().leaderEpoch() != a.currentLeaderEpoch()) {
            return forceComplete();
          }
        }
        return false;
      }

      @Override
      protected void onComplete() {
        ctx.respond(response(asked, read(replicaId, asked, maxBytes)));
      }
    };
    services.replicas().fetchPurgatory().tryCompleteElseWatch(wait,
        asked.stream().map(Asked::tp).toList());
  }

  private List<FollowerRead> read(int replicaId, List<Asked> asked, int maxBytes) {
    List<FollowerRead> out = new ArrayList<>(asked.size());
    int remaining = maxBytes;
    for (Asked a : asked) {
      FollowerRead r = readOne(replicaId, a, Math.max(0, Math.min(a.maxBytes(), remaining)));
      remaining -= r.records() == null ? 0 : r.records().length();
      out.add(r);
    }
    return out;
  }

  private FollowerRead readOne(int replicaId, Asked a, int limit) {
    if (a.topic() == null) {
      return errorRead(Errors.UNKNOWN_TOPIC_ID);
    }
    Optional<Partition> p = services.replicas().partition(a.tp());
    if (p.isPresent() && a.currentLeaderEpoch() >= 0) {
      int epoch = p.get().leaderEpoch();
      if (a.currentLeaderEpoch() < epoch) {
        return errorRead(Errors.FENCED_LEADER_EPOCH);
      }
      if (a.currentLeaderEpoch() > epoch) {
        return errorRead(Errors.UNKNOWN_LEADER_EPOCH);
      }
    }
    return services.replicas().readForFollower(a.tp(), replicaId, a.fetchOffset(),
        a.lastFetchedEpoch(), limit);
  }

  private static FollowerRead errorRead(Errors error) {
    return new FollowerRead(error, null, -1, -1, -1, -1);
  }

  private static Struct response(List<Asked> asked, List<FollowerRead> reads) {
    Struct response = new Struct(FetchResponse.SCHEMA).set(FetchResponse.SESSION_ID, 0);
    Struct topicEntry = null;
    Asked last = null;
    for (int i = 0; i < asked.size(); i++) {
      Asked a = asked.get(i);
      FollowerRead r = reads.get(i);
      if (last == null || !java.util.Objects.equals(a.topic(), last.topic())
          || !java.util.Objects.equals(a.topicId(), last.topicId())) {
        topicEntry = response.addElement(FetchResponse.RESPONSES)
            .set(FetchResponse.TOPIC, a.topic()).set(FetchResponse.TOPIC_ID, a.topicId());
      }
      last = a;
      Struct entry = topicEntry.addElement(FetchResponse.PARTITIONS)
          .set(FetchResponse.PARTITION_INDEX, a.partition())
          .set(FetchResponse.PARTITION_ERROR_CODE, r.error().code)
          .set(FetchResponse.HIGH_WATERMARK, r.highWatermark())
          .set(FetchResponse.LAST_STABLE_OFFSET, r.highWatermark())
          .set(FetchResponse.LOG_START_OFFSET, r.logStartOffset())
          .set(FetchResponse.PREFERRED_READ_REPLICA, -1);
      if (r.diverged()) {
        entry.set(FetchResponse.DIVERGING_EPOCH, new Struct(FetchResponse.EPOCH_END_OFFSET)
            .set(FetchResponse.DIVERGING_EPOCH_EPOCH, r.divergingEpoch())
            .set(FetchResponse.DIVERGING_EPOCH_END_OFFSET, r.divergingEndOffset()));
      }
      entry.set(FetchResponse.RECORDS, r.records() != null && r.records().length() > 0
          ? r.records() : ByteBuffer.allocate(0));
    }
    return response;
  }
}
