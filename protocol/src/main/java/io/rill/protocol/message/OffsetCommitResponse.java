package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetCommit response (key 8), v2-9: an error code per committed partition. v3 added the
 * throttle time; v8 is flexible; v9 may answer STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND.
 */
public final class OffsetCommitResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(3);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema PARTITION = Schema.of("OffsetCommitResponsePartition",
      PARTITION_INDEX, ERROR_CODE);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OffsetCommitResponseTopic", TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("OffsetCommitResponse", THROTTLE_TIME_MS, TOPICS);

  private OffsetCommitResponse() {}
}
