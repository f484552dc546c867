package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetForLeaderEpoch request (key 23), v2-4: the end offset of a leader epoch, which a
 * consumer uses to detect log truncation after a leader change (KIP-320). v2 added
 * CurrentLeaderEpoch for fencing; v3 ReplicaId (-2 for a consumer, -1 for a debugging tool);
 * v4 is flexible.
 */
public final class OffsetForLeaderEpochRequest {
  /** Kafka's convention: -2 is a consumer, -1 a debugging tool, otherwise a follower's id. */
  public static final int CONSUMER_REPLICA_ID = -2;

  public static final Field<Integer> REPLICA_ID =
      Field.int32("ReplicaId").since(3).defaultsTo(CONSUMER_REPLICA_ID);

  public static final Field<Integer> PARTITION = Field.int32("Partition");
  public static final Field<Integer> CURRENT_LEADER_EPOCH =
      Field.int32("CurrentLeaderEpoch").since(2).defaultsTo(-1);
  public static final Field<Integer> LEADER_EPOCH = Field.int32("LeaderEpoch");
  public static final Schema OFFSET_FOR_LEADER_PARTITION = Schema.of("OffsetForLeaderPartition",
      PARTITION, CURRENT_LEADER_EPOCH, LEADER_EPOCH);

  public static final Field<String> TOPIC = Field.string("Topic");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", OFFSET_FOR_LEADER_PARTITION);
  public static final Schema OFFSET_FOR_LEADER_TOPIC = Schema.of("OffsetForLeaderTopic",
      TOPIC, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", OFFSET_FOR_LEADER_TOPIC);

  public static final Schema SCHEMA = Schema.of("OffsetForLeaderEpochRequest", REPLICA_ID, TOPICS);

  private OffsetForLeaderEpochRequest() {}
}
