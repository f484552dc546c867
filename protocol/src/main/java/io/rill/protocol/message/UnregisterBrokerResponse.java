package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/** UnregisterBroker response (key 64), v0, flexible: BROKER_ID_NOT_REGISTERED or none. */
public final class UnregisterBrokerResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");

  public static final Schema SCHEMA = Schema.of("UnregisterBrokerResponse", THROTTLE_TIME_MS,
      ERROR_CODE, ERROR_MESSAGE);

  private UnregisterBrokerResponse() {}
}
