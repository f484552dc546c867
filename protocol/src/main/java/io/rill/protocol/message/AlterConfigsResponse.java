package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * AlterConfigs response (key 33), v0-2: one result per resource. v1 is v0 again, v2 turned
 * flexible (KIP-482).
 */
public final class AlterConfigsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");
  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  public static final Schema RESOURCE_RESULT = Schema.of("AlterConfigsResourceResponse",
      ERROR_CODE, ERROR_MESSAGE, RESOURCE_TYPE, RESOURCE_NAME);

  public static final Field<List<Struct>> RESPONSES = Field.array("Responses", RESOURCE_RESULT);

  public static final Schema SCHEMA = Schema.of("AlterConfigsResponse",
      THROTTLE_TIME_MS, RESPONSES);

  private AlterConfigsResponse() {}
}
