package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeGroups response (key 15), v0-5. v1 added the throttle time; v3 the group's
 * AuthorizedOperations bit set (KIP-430); v4 each member's GroupInstanceId (KIP-345); v5 is
 * flexible. ProtocolData and the members' metadata and assignment are filled in only for a
 * Stable group.
 */
public final class DescribeGroupsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);

  public static final Field<String> MEMBER_ID = Field.string("MemberId");
  public static final Field<String> MEMBER_GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(4).nullableSince(4).defaultsTo(null);
  public static final Field<String> MEMBER_CLIENT_ID = Field.string("ClientId");
  public static final Field<String> MEMBER_CLIENT_HOST = Field.string("ClientHost");
  public static final Field<byte[]> MEMBER_METADATA = Field.bytes("MemberMetadata");
  public static final Field<byte[]> MEMBER_ASSIGNMENT = Field.bytes("MemberAssignment");
  public static final Schema MEMBER = Schema.of("DescribedGroupMember",
      MEMBER_ID, MEMBER_GROUP_INSTANCE_ID, MEMBER_CLIENT_ID, MEMBER_CLIENT_HOST, MEMBER_METADATA,
      MEMBER_ASSIGNMENT);

  public static final Field<Short> GROUP_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<String> GROUP_STATE = Field.string("GroupState");
  public static final Field<String> GROUP_PROTOCOL_TYPE = Field.string("ProtocolType");
  /** The chosen assignor's name (consumer groups); only for a Stable group. */
  public static final Field<String> GROUP_PROTOCOL_DATA = Field.string("ProtocolData");
  public static final Field<List<Struct>> GROUP_MEMBERS = Field.array("Members", MEMBER);
  /** Integer.MIN_VALUE: not requested (KIP-430). */
  public static final Field<Integer> GROUP_AUTHORIZED_OPERATIONS =
      Field.int32("AuthorizedOperations").since(3).defaultsTo(Integer.MIN_VALUE);
  public static final Schema GROUP = Schema.of("DescribedGroup",
      GROUP_ERROR_CODE, GROUP_ID, GROUP_STATE, GROUP_PROTOCOL_TYPE, GROUP_PROTOCOL_DATA,
      GROUP_MEMBERS, GROUP_AUTHORIZED_OPERATIONS);
  public static final Field<List<Struct>> GROUPS = Field.array("Groups", GROUP);

  public static final Schema SCHEMA = Schema.of("DescribeGroupsResponse", THROTTLE_TIME_MS, GROUPS);

  private DescribeGroupsResponse() {}
}
