package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/** Heartbeat response (key 12), v0-4. v1 added the throttle time; v4 is flexible. */
public final class HeartbeatResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");

  public static final Schema SCHEMA = Schema.of("HeartbeatResponse", THROTTLE_TIME_MS, ERROR_CODE);

  private HeartbeatResponse() {}
}
