package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * JoinGroup response (key 11), v0-9. Only the leader gets the members' metadata. v2 added the
 * throttle time; v5 each member's GroupInstanceId; v6 is flexible; v7 returns the ProtocolType
 * and lets ProtocolName be null (KIP-559); v9 added SkipAssignment (the leader is told not to
 * assign, KIP-814).
 */
public final class JoinGroupResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(2);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Integer> GENERATION_ID = Field.int32("GenerationId").defaultsTo(-1);
  public static final Field<String> PROTOCOL_TYPE =
      Field.string("ProtocolType").since(7).nullableSince(7).defaultsTo(null);
  public static final Field<String> PROTOCOL_NAME =
      Field.string("ProtocolName").nullableSince(7).defaultsTo("");
  public static final Field<String> LEADER = Field.string("Leader");
  public static final Field<Boolean> SKIP_ASSIGNMENT = Field.bool("SkipAssignment").since(9);
  public static final Field<String> MEMBER_ID = Field.string("MemberId");

  public static final Field<String> MEMBER_MEMBER_ID = Field.string("MemberId");
  public static final Field<String> MEMBER_GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(5).nullableSince(5).defaultsTo(null);
  public static final Field<byte[]> MEMBER_METADATA = Field.bytes("Metadata");
  public static final Schema MEMBER = Schema.of("JoinGroupResponseMember",
      MEMBER_MEMBER_ID, MEMBER_GROUP_INSTANCE_ID, MEMBER_METADATA);
  public static final Field<List<Struct>> MEMBERS = Field.array("Members", MEMBER);

  public static final Schema SCHEMA = Schema.of("JoinGroupResponse",
      THROTTLE_TIME_MS, ERROR_CODE, GENERATION_ID, PROTOCOL_TYPE, PROTOCOL_NAME, LEADER,
      SKIP_ASSIGNMENT, MEMBER_ID, MEMBERS);

  private JoinGroupResponse() {}
}
