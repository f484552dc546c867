package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetForLeaderEpoch response (key 23), v2-4. v1 added LeaderEpoch; v2 ThrottleTimeMs; v3 is
 * unchanged; v4 is flexible. An unknown epoch is answered with -1/-1.
 */
public final class OffsetForLeaderEpochResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(2);

  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Integer> PARTITION = Field.int32("Partition");
  public static final Field<Integer> LEADER_EPOCH =
      Field.int32("LeaderEpoch").since(1).defaultsTo(-1);
  public static final Field<Long> END_OFFSET = Field.int64("EndOffset").defaultsTo(-1L);
  public static final Schema EPOCH_END_OFFSET = Schema.of("EpochEndOffset",
      ERROR_CODE, PARTITION, LEADER_EPOCH, END_OFFSET);

  public static final Field<String> TOPIC = Field.string("Topic");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", EPOCH_END_OFFSET);
  public static final Schema OFFSET_FOR_LEADER_TOPIC_RESULT = Schema.of(
      "OffsetForLeaderTopicResult", TOPIC, PARTITIONS);
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", OFFSET_FOR_LEADER_TOPIC_RESULT);

  public static final Schema SCHEMA = Schema.of("OffsetForLeaderEpochResponse",
      THROTTLE_TIME_MS, TOPICS);

  private OffsetForLeaderEpochResponse() {}
}
