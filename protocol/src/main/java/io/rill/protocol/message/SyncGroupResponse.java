package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * SyncGroup response (key 14), v0-5: this member's assignment. v1 added the throttle time; v4 is
 * flexible; v5 returns the group's ProtocolType and ProtocolName (KIP-559).
 */
public final class SyncGroupResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> PROTOCOL_TYPE =
      Field.string("ProtocolType").since(5).nullableSince(5).defaultsTo(null);
  public static final Field<String> PROTOCOL_NAME =
      Field.string("ProtocolName").since(5).nullableSince(5).defaultsTo(null);
  public static final Field<byte[]> ASSIGNMENT = Field.bytes("Assignment");

  public static final Schema SCHEMA = Schema.of("SyncGroupResponse",
      THROTTLE_TIME_MS, ERROR_CODE, PROTOCOL_TYPE, PROTOCOL_NAME, ASSIGNMENT);

  private SyncGroupResponse() {}
}
