package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeQuorumRequest;
import io.rill.protocol.message.DescribeQuorumResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The metadata quorum ({@code __cluster_metadata-0}) as DescribeQuorum (KIP-595, ApiKey 55)
 * reports it: the leader, its epoch, the high watermark and what the leader knows of each voter
 * and observer. Kafka's brokers answer it too (they forward it to the active controller), so
 * this works against both.
 *
 * <p>Offsets and timestamps are Kafka's: {@link #UNKNOWN} (-1) when the leader does not know
 * them (an observer's log end on Rill; every timestamp below v1, KIP-836). Timestamps are the
 * quorum leader's wall-clock milliseconds.
 */
public record Quorum(int leaderId, int leaderEpoch, long highWatermark, List<Replica> voters,
    List<Replica> observers) {
  public static final long UNKNOWN = DescribeQuorumResponse.UNKNOWN;

  public Quorum {
    voters = List.copyOf(voters);
    observers = List.copyOf(observers);
  }

  /** One voter or observer of the metadata log. */
  public record Replica(int id, long logEndOffset, long lastFetchTimestampMs,
      long lastCaughtUpTimestampMs) {}

  /**
   * Asks {@code c} for the quorum; empty when the broker does not offer DescribeQuorum (older
   * Kafka, ZooKeeper mode). A broker that offers it and answers with an error code throws
   * {@link ClientException.Refused}.
   */
  public static Optional<Quorum> describe(BrokerConnection c) {
    if (!c.supports(ApiKey.DESCRIBE_QUORUM)) {
      return Optional.empty();
    }
    Struct req = new Struct(DescribeQuorumRequest.SCHEMA);
    req.addElement(DescribeQuorumRequest.TOPICS)
        .set(DescribeQuorumRequest.TOPIC_NAME, DescribeQuorumRequest.METADATA_TOPIC)
        .addElement(DescribeQuorumRequest.PARTITIONS)
        .set(DescribeQuorumRequest.PARTITION_INDEX, 0);
    Struct resp = c.send(ApiKey.DESCRIBE_QUORUM, req);
    String context = "describe quorum at " + c.address();
    ClientException.check(resp.get(DescribeQuorumResponse.ERROR_CODE),
        resp.get(DescribeQuorumResponse.ERROR_MESSAGE), context);
    return Optional.of(parse(resp, context));
  }

  static Quorum parse(Struct resp, String context) {
    for (Struct t : resp.get(DescribeQuorumResponse.TOPICS)) {
      for (Struct p : t.get(DescribeQuorumResponse.TOPIC_PARTITIONS)) {
        if (!DescribeQuorumRequest.METADATA_TOPIC.equals(t.get(DescribeQuorumResponse.TOPIC_NAME))
            || p.get(DescribeQuorumResponse.PARTITION_INDEX) != 0) {
          continue;
        }
        ClientException.check(p.get(DescribeQuorumResponse.PARTITION_ERROR_CODE),
            p.get(DescribeQuorumResponse.PARTITION_ERROR_MESSAGE), context);
        return new Quorum(p.get(DescribeQuorumResponse.PARTITION_LEADER_ID),
            p.get(DescribeQuorumResponse.PARTITION_LEADER_EPOCH),
            p.get(DescribeQuorumResponse.PARTITION_HIGH_WATERMARK),
            replicas(p.get(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS)),
            replicas(p.get(DescribeQuorumResponse.PARTITION_OBSERVERS)));
      }
    }
    throw new ClientException.Refused(io.rill.protocol.Errors.UNKNOWN_SERVER_ERROR,
        context + ": the answer names no " + DescribeQuorumRequest.METADATA_TOPIC + "-0");
  }

  private static List<Replica> replicas(List<Struct> states) {
    List<Replica> out = new ArrayList<>();
    for (Struct s : states) {
      out.add(new Replica(s.get(DescribeQuorumResponse.REPLICA_ID),
          s.get(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET),
          s.get(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP),
          s.get(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP)));
    }
    return out;
  }
}
