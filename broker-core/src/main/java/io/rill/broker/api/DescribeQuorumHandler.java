package io.rill.broker.api;

import static io.rill.protocol.message.DescribeQuorumResponse.ERROR_CODE;
import static io.rill.protocol.message.DescribeQuorumResponse.ERROR_MESSAGE;
import static io.rill.protocol.message.DescribeQuorumResponse.SCHEMA;
import static io.rill.protocol.message.DescribeQuorumResponse.TOPICS;
import static io.rill.protocol.message.DescribeQuorumResponse.UNKNOWN;

import io.rill.metadata.command.VoterState;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeQuorumRequest;
import io.rill.protocol.message.DescribeQuorumResponse;
import io.rill.protocol.schema.Struct;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DescribeQuorum (v0-2, KIP-595/836/853), so {@code Admin.describeMetadataQuorum()} and Kafka's
 * {@code kafka-metadata-quorum} tool work against any broker: the broker asks the active
 * controller (as Kafka's brokers forward it) and reports the metadata log {@code
 * __cluster_metadata-0}: the leader, its epoch (the Raft term), the high watermark (the commit
 * index), each voter's log end and last contact, and the brokers that only follow (observers,
 * whose log end the controller does not track: -1, Kafka's "unknown").
 */
final class DescribeQuorumHandler implements ApiHandler {
  static final String METADATA_TOPIC = "__cluster_metadata";

  private final BrokerServices services;

  DescribeQuorumHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    List<Struct> topics = request.get(DescribeQuorumRequest.TOPICS);
    boolean asksForMetadataLog = topics.size() == 1
        && METADATA_TOPIC.equals(topics.get(0).get(DescribeQuorumRequest.TOPIC_NAME))
        && topics.get(0).get(DescribeQuorumRequest.PARTITIONS).size() == 1
        && topics.get(0).get(DescribeQuorumRequest.PARTITIONS).get(0)
            .get(DescribeQuorumRequest.PARTITION_INDEX) == 0;
    if (!asksForMetadataLog) {
      ctx.respond(errorResponse(ctx, request, Errors.INVALID_REQUEST)
          .set(ERROR_MESSAGE, "Only " + METADATA_TOPIC + "-0 has a quorum."));
      return;
    }
    QuorumReplies.respondWhenDone(ctx, services.controller().describeQuorum(),
        QuorumReplies.ADMIN_TIMEOUT_MS, this::response,
        failure -> errorResponse(ctx, request, failure.error())
            .set(ERROR_MESSAGE, failure.message()));
  }

  private Struct response(io.rill.metadata.command.DescribeQuorumResponse q) {
    long nowMs = System.currentTimeMillis();
    Struct response = new Struct(SCHEMA).set(ERROR_CODE, Errors.NONE.code);
    Struct partition = response.addElement(TOPICS)
        .set(DescribeQuorumResponse.TOPIC_NAME, METADATA_TOPIC)
        .addElement(DescribeQuorumResponse.TOPIC_PARTITIONS)
        .set(DescribeQuorumResponse.PARTITION_INDEX, 0)
        .set(DescribeQuorumResponse.PARTITION_ERROR_CODE,
            Errors.NONE.code)
        .set(DescribeQuorumResponse.PARTITION_LEADER_ID,
            q.getLeaderId())
        .set(DescribeQuorumResponse.PARTITION_LEADER_EPOCH,
            (int) q.getLeaderEpoch())
        .set(DescribeQuorumResponse.PARTITION_HIGH_WATERMARK,
            q.getHighWatermark());
    Set<Integer> voters = new HashSet<>();
    for (VoterState v : q.getVotersList()) {
      voters.add(v.getNodeId());
      long lastFetch = v.getLastContactMsAgo() < 0 ? UNKNOWN : nowMs - v.getLastContactMsAgo();
      boolean caughtUp = v.getLogEndOffset() >= q.getHighWatermark();
      partition.addElement(
              DescribeQuorumResponse.PARTITION_CURRENT_VOTERS)
          .set(DescribeQuorumResponse.REPLICA_ID, v.getNodeId())
          .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET,
              v.getLogEndOffset())
          .set(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP,
              v.getNodeId() == q.getLeaderId() ? (long) UNKNOWN : lastFetch)
          .set(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP,
              v.getNodeId() == q.getLeaderId() ? nowMs : caughtUp ? lastFetch : UNKNOWN);
    }
    for (BrokerRegistration b : services.metadata().image().brokers().values()) {
      if (!voters.contains(b.id())) {
        partition.addElement(DescribeQuorumResponse.PARTITION_OBSERVERS)
            .set(DescribeQuorumResponse.REPLICA_ID, b.id())
            .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET,
                (long) UNKNOWN);
      }
    }
    return response;
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return new Struct(SCHEMA).set(ERROR_CODE, error.code);
  }
}
