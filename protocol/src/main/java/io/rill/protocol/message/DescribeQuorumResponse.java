package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * DescribeQuorum response (key 55), v0-2, flexible from v0 (KIP-595): per partition of the
 * metadata log, the leader, its epoch, the high watermark and what the leader knows of each
 * voter and observer.
 *
 * <ul>
 *   <li>v1 (KIP-836): each replica's LastFetchTimestamp and LastCaughtUpTimestamp, -1 when
 *       unknown (and LastFetchTimestamp is -1 for the leader itself).
 *   <li>v2 (KIP-853, dynamic quorums): ErrorMessage at the top and per partition, each
 *       replica's ReplicaDirectoryId, and Nodes: the listeners of every voter, so a client can
 *       reach the controllers without knowing {@code controller.quorum.voters}.
 * </ul>
 *
 * <p>Every field a version lacks is left out when writing that version (Kafka marks the v1 and
 * v2 fields ignorable; a v0/v1 reader simply does not see directory ids or nodes) and decodes to
 * Kafka's default. Timestamps are the leader's wall-clock milliseconds.
 *
 * <p>Served by every broker (DescribeQuorumHandler), which asks the active controller.
 */
public final class DescribeQuorumResponse {
  /** Kafka's "unknown" for LeaderId, LogEndOffset and the two timestamps. */
  public static final int UNKNOWN = -1;

  // ---- ReplicaState (a common struct of Kafka's schema: voters and observers alike)
  public static final Field<Integer> REPLICA_ID = Field.int32("ReplicaId");
  /** KIP-853: the id of the log directory the replica's metadata log lives in; zero if none. */
  public static final Field<UUID> REPLICA_DIRECTORY_ID = Field.uuid("ReplicaDirectoryId").since(2);
  public static final Field<Long> REPLICA_LOG_END_OFFSET = Field.int64("LogEndOffset");
  public static final Field<Long> REPLICA_LAST_FETCH_TIMESTAMP =
      Field.int64("LastFetchTimestamp").since(1).defaultsTo((long) UNKNOWN);
  public static final Field<Long> REPLICA_LAST_CAUGHT_UP_TIMESTAMP =
      Field.int64("LastCaughtUpTimestamp").since(1).defaultsTo((long) UNKNOWN);
  public static final Schema REPLICA_STATE = Schema.of("ReplicaState",
      REPLICA_ID, REPLICA_DIRECTORY_ID, REPLICA_LOG_END_OFFSET, REPLICA_LAST_FETCH_TIMESTAMP,
      REPLICA_LAST_CAUGHT_UP_TIMESTAMP);

  // ---- PartitionData
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  /** Kafka's default is "", not null; null is allowed and means "no error". */
  public static final Field<String> PARTITION_ERROR_MESSAGE =
      Field.string("ErrorMessage").since(2).nullableSince(2).defaultsTo("");
  public static final Field<Integer> PARTITION_LEADER_ID = Field.int32("LeaderId");
  public static final Field<Integer> PARTITION_LEADER_EPOCH = Field.int32("LeaderEpoch");
  public static final Field<Long> PARTITION_HIGH_WATERMARK = Field.int64("HighWatermark");
  public static final Field<List<Struct>> PARTITION_CURRENT_VOTERS =
      Field.array("CurrentVoters", REPLICA_STATE);
  public static final Field<List<Struct>> PARTITION_OBSERVERS =
      Field.array("Observers", REPLICA_STATE);
  public static final Schema PARTITION = Schema.of("PartitionData",
      PARTITION_INDEX, PARTITION_ERROR_CODE, PARTITION_ERROR_MESSAGE, PARTITION_LEADER_ID,
      PARTITION_LEADER_EPOCH, PARTITION_HIGH_WATERMARK, PARTITION_CURRENT_VOTERS,
      PARTITION_OBSERVERS);

  // ---- TopicData
  public static final Field<String> TOPIC_NAME = Field.string("TopicName");
  public static final Field<List<Struct>> TOPIC_PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("TopicData", TOPIC_NAME, TOPIC_PARTITIONS);

  // ---- Node (v2): a voter's listeners. Kafka keys Nodes by NodeId and Listeners by Name.
  public static final Field<String> LISTENER_NAME = Field.string("Name").since(2);
  public static final Field<String> LISTENER_HOST = Field.string("Host").since(2);
  public static final Field<Integer> LISTENER_PORT = Field.uint16("Port").since(2);
  public static final Schema LISTENER = Schema.of("Listener",
      LISTENER_NAME, LISTENER_HOST, LISTENER_PORT);

  public static final Field<Integer> NODE_ID = Field.int32("NodeId").since(2);
  public static final Field<List<Struct>> NODE_LISTENERS =
      Field.array("Listeners", LISTENER).since(2);
  public static final Schema NODE = Schema.of("Node", NODE_ID, NODE_LISTENERS);

  // ---- the response
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  /** Kafka's default is "", not null; null is allowed and means "no error". */
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").since(2).nullableSince(2).defaultsTo("");
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);
  public static final Field<List<Struct>> NODES = Field.array("Nodes", NODE).since(2);

  public static final Schema SCHEMA = Schema.of("DescribeQuorumResponse",
      ERROR_CODE, ERROR_MESSAGE, TOPICS, NODES);

  private DescribeQuorumResponse() {}
}
