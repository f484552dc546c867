package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DeleteRecords response (key 21), v0-2: each partition's new low watermark (log start
 * offset). v1 is unchanged on the wire; v2 is flexible.
 */
public final class DeleteRecordsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Long> LOW_WATERMARK = Field.int64("LowWatermark");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema DELETE_RECORDS_PARTITION_RESULT = Schema.of(
      "DeleteRecordsPartitionResult", PARTITION_INDEX, LOW_WATERMARK, ERROR_CODE);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", DELETE_RECORDS_PARTITION_RESULT);
  public static final Schema DELETE_RECORDS_TOPIC_RESULT = Schema.of("DeleteRecordsTopicResult",
      TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", DELETE_RECORDS_TOPIC_RESULT);

  public static final Schema SCHEMA = Schema.of("DeleteRecordsResponse", THROTTLE_TIME_MS, TOPICS);

  private DeleteRecordsResponse() {}
}
