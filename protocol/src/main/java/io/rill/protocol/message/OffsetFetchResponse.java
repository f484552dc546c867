package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetFetch response (key 9), v1-9. v1-7 answer one group: topics, then (v2+) a top-level
 * error code; v8+ answer per group, each with its own error code. v3 added the throttle time;
 * v5 the committed leader epoch; v6 is flexible; v7 may answer UNSTABLE_OFFSET_COMMIT per
 * partition; v9 STALE_MEMBER_EPOCH and UNKNOWN_MEMBER_ID.
 */
public final class OffsetFetchResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(3);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  /** -1 when the group has no committed offset for the partition. */
  public static final Field<Long> COMMITTED_OFFSET = Field.int64("CommittedOffset");
  public static final Field<Integer> COMMITTED_LEADER_EPOCH =
      Field.int32("CommittedLeaderEpoch").since(5).defaultsTo(-1);
  public static final Field<String> METADATA =
      Field.string("Metadata").nullableSince(0).defaultsTo("");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema PARTITION = Schema.of("OffsetFetchResponsePartition",
      PARTITION_INDEX, COMMITTED_OFFSET, COMMITTED_LEADER_EPOCH, METADATA, PARTITION_ERROR_CODE);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OffsetFetchResponseTopic", TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC).versions(0, 7);

  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode").versions(2, 7);

  public static final Field<Integer> GROUP_PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Long> GROUP_COMMITTED_OFFSET = Field.int64("CommittedOffset");
  public static final Field<Integer> GROUP_COMMITTED_LEADER_EPOCH =
      Field.int32("CommittedLeaderEpoch").defaultsTo(-1);
  public static final Field<String> GROUP_METADATA =
      Field.string("Metadata").nullableSince(8).defaultsTo("");
  public static final Field<Short> GROUP_PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema GROUP_PARTITION = Schema.of("OffsetFetchResponsePartitions",
      GROUP_PARTITION_INDEX, GROUP_COMMITTED_OFFSET, GROUP_COMMITTED_LEADER_EPOCH, GROUP_METADATA,
      GROUP_PARTITION_ERROR_CODE);

  public static final Field<String> GROUP_TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> GROUP_PARTITIONS =
      Field.array("Partitions", GROUP_PARTITION);
  public static final Schema GROUP_TOPIC = Schema.of("OffsetFetchResponseTopics",
      GROUP_TOPIC_NAME, GROUP_PARTITIONS);

  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<List<Struct>> GROUP_TOPICS = Field.array("Topics", GROUP_TOPIC);
  public static final Field<Short> GROUP_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema GROUP = Schema.of("OffsetFetchResponseGroup",
      GROUP_ID, GROUP_TOPICS, GROUP_ERROR_CODE);
  public static final Field<List<Struct>> GROUPS = Field.array("Groups", GROUP).since(8);

  public static final Schema SCHEMA = Schema.of("OffsetFetchResponse",
      THROTTLE_TIME_MS, TOPICS, ERROR_CODE, GROUPS);

  private OffsetFetchResponse() {}
}
