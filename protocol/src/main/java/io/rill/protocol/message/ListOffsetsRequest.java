package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * ListOffsets request (key 2), v1-8. v1 asks for one offset per partition instead of v0's
 * MaxNumOffsets (KIP-79; v0 is gone since KIP-896); v2 added IsolationLevel (KIP-98); v4
 * CurrentLeaderEpoch (KIP-320); v6 is flexible; v7 allows the max-timestamp spec -3 (KIP-734);
 * v8 the earliest-local spec -4 (KIP-405). Timestamp -1 means latest, -2 earliest.
 */
public final class ListOffsetsRequest {
  /** -1 for a consumer, a broker id for a follower. */
  public static final Field<Integer> REPLICA_ID = Field.int32("ReplicaId");
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED. */
  public static final Field<Byte> ISOLATION_LEVEL = Field.int8("IsolationLevel").since(2);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Integer> CURRENT_LEADER_EPOCH =
      Field.int32("CurrentLeaderEpoch").since(4).defaultsTo(-1);
  public static final Field<Long> TIMESTAMP = Field.int64("Timestamp");
  public static final Schema LIST_OFFSETS_PARTITION = Schema.of("ListOffsetsPartition",
      PARTITION_INDEX, CURRENT_LEADER_EPOCH, TIMESTAMP);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", LIST_OFFSETS_PARTITION);
  public static final Schema LIST_OFFSETS_TOPIC = Schema.of("ListOffsetsTopic",
      TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", LIST_OFFSETS_TOPIC);

  public static final Schema SCHEMA = Schema.of("ListOffsetsRequest",
      REPLICA_ID, ISOLATION_LEVEL, TOPICS);

  private ListOffsetsRequest() {}
}
