package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DeleteGroups response (key 42), v0-2: an error code per group. From v1 the broker answers
 * before throttling on a quota violation; v2 is flexible.
 */
public final class DeleteGroupsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<String> RESULT_GROUP_ID = Field.string("GroupId");
  public static final Field<Short> RESULT_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema RESULT = Schema.of("DeletableGroupResult",
      RESULT_GROUP_ID, RESULT_ERROR_CODE);
  public static final Field<List<Struct>> RESULTS = Field.array("Results", RESULT);

  public static final Schema SCHEMA = Schema.of("DeleteGroupsResponse", THROTTLE_TIME_MS, RESULTS);

  private DeleteGroupsResponse() {}
}
