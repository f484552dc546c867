package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * CreatePartitions response (key 37), v0-3: one result per requested topic (librdkafka's suite
 * checks the array is not empty). v1 is v0 again, v2 turned flexible (KIP-482), v3 may carry
 * THROTTLING_QUOTA_EXCEEDED (KIP-599).
 */
public final class CreatePartitionsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<String> NAME = Field.string("Name");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo(null);
  public static final Schema TOPIC_RESULT = Schema.of("CreatePartitionsTopicResult",
      NAME, ERROR_CODE, ERROR_MESSAGE);

  public static final Field<List<Struct>> RESULTS = Field.array("Results", TOPIC_RESULT);

  public static final Schema SCHEMA = Schema.of("CreatePartitionsResponse",
      THROTTLE_TIME_MS, RESULTS);

  private CreatePartitionsResponse() {}
}
