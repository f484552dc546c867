package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * ListGroups response (key 16), v0-5. v1 added the throttle time; v3 is flexible; v4 each
 * group's GroupState (KIP-518); v5 its GroupType (KIP-848).
 */
public final class ListGroupsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");

  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<String> GROUP_PROTOCOL_TYPE = Field.string("ProtocolType");
  public static final Field<String> GROUP_STATE = Field.string("GroupState").since(4);
  public static final Field<String> GROUP_TYPE = Field.string("GroupType").since(5);
  public static final Schema GROUP = Schema.of("ListedGroup",
      GROUP_ID, GROUP_PROTOCOL_TYPE, GROUP_STATE, GROUP_TYPE);
  public static final Field<List<Struct>> GROUPS = Field.array("Groups", GROUP);

  public static final Schema SCHEMA = Schema.of("ListGroupsResponse",
      THROTTLE_TIME_MS, ERROR_CODE, GROUPS);

  private ListGroupsResponse() {}
}
