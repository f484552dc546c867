package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * ListOffsets response (key 2), v1-8. v1 answers with one Timestamp and Offset per partition;
 * v2 added ThrottleTimeMs; v4 LeaderEpoch (KIP-320); v6 is flexible; v7-8 change only what may
 * be asked.
 */
public final class ListOffsetsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(2);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Long> TIMESTAMP = Field.int64("Timestamp").defaultsTo(-1L);
  public static final Field<Long> OFFSET = Field.int64("Offset").defaultsTo(-1L);
  public static final Field<Integer> LEADER_EPOCH =
      Field.int32("LeaderEpoch").since(4).defaultsTo(-1);
  public static final Schema LIST_OFFSETS_PARTITION_RESPONSE = Schema.of(
      "ListOffsetsPartitionResponse",
      PARTITION_INDEX, ERROR_CODE, TIMESTAMP, OFFSET, LEADER_EPOCH);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", LIST_OFFSETS_PARTITION_RESPONSE);
  public static final Schema LIST_OFFSETS_TOPIC_RESPONSE = Schema.of("ListOffsetsTopicResponse",
      TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", LIST_OFFSETS_TOPIC_RESPONSE);

  public static final Schema SCHEMA = Schema.of("ListOffsetsResponse", THROTTLE_TIME_MS, TOPICS);

  private ListOffsetsResponse() {}
}
