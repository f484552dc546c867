package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/** CreateAcls response (key 30), v1-3, flexible from v2: one result per creation, in order. */
public final class CreateAclsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE = Field.string("ErrorMessage").nullableSince(0);
  public static final Schema RESULT = Schema.of("AclCreationResult", ERROR_CODE, ERROR_MESSAGE);
  public static final Field<List<Struct>> RESULTS = Field.array("Results", RESULT);

  public static final Schema SCHEMA = Schema.of("CreateAclsResponse", THROTTLE_TIME_MS,
      RESULTS);

  private CreateAclsResponse() {}
}
