package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * LeaveGroup request (key 13), v0-5. v0-2 name one MemberId; v3+ batch Members, each a member
 * id and/or static GroupInstanceId (KIP-345). v4 is flexible; v5 added a Reason per member
 * (KIP-800).
 */
public final class LeaveGroupRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<String> MEMBER_ID = Field.string("MemberId").versions(0, 2);

  public static final Field<String> MEMBER_MEMBER_ID = Field.string("MemberId");
  public static final Field<String> MEMBER_GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").nullableSince(3).defaultsTo(null);
  public static final Field<String> MEMBER_REASON =
      Field.string("Reason").since(5).nullableSince(5).defaultsTo(null);
  public static final Schema MEMBER = Schema.of("MemberIdentity",
      MEMBER_MEMBER_ID, MEMBER_GROUP_INSTANCE_ID, MEMBER_REASON);
  public static final Field<List<Struct>> MEMBERS = Field.array("Members", MEMBER).since(3);

  public static final Schema SCHEMA = Schema.of("LeaveGroupRequest", GROUP_ID, MEMBER_ID, MEMBERS);

  private LeaveGroupRequest() {}
}
