package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetDelete response (key 47), v0 only, never flexible (KIP-496): a group-level error code
 * (first, before the throttle time) and one per partition.
 */
public final class OffsetDeleteResponse {
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema PARTITION = Schema.of("OffsetDeleteResponsePartition",
      PARTITION_INDEX, PARTITION_ERROR_CODE);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OffsetDeleteResponseTopic", TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("OffsetDeleteResponse",
      ERROR_CODE, THROTTLE_TIME_MS, TOPICS);

  private OffsetDeleteResponse() {}
}
