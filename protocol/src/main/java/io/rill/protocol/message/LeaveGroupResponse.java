package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * LeaveGroup response (key 13), v0-5. v1 added the throttle time; v3 an error code per leaving
 * member (KIP-345); v4 is flexible.
 */
public final class LeaveGroupResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");

  public static final Field<String> MEMBER_MEMBER_ID = Field.string("MemberId");
  public static final Field<String> MEMBER_GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").nullableSince(3).defaultsTo("");
  public static final Field<Short> MEMBER_ERROR_CODE = Field.int16("ErrorCode");
  public static final Schema MEMBER = Schema.of("MemberResponse",
      MEMBER_MEMBER_ID, MEMBER_GROUP_INSTANCE_ID, MEMBER_ERROR_CODE);
  public static final Field<List<Struct>> MEMBERS = Field.array("Members", MEMBER).since(3);

  public static final Schema SCHEMA = Schema.of("LeaveGroupResponse",
      THROTTLE_TIME_MS, ERROR_CODE, MEMBERS);

  private LeaveGroupResponse() {}
}
