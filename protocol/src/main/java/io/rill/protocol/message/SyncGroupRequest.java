package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * SyncGroup request (key 14), v0-5. The leader sends every member's assignment; followers send
 * none. v3 added the static member's GroupInstanceId (KIP-345); v4 is flexible; v5 added
 * ProtocolType and ProtocolName, which the broker checks against the group's (KIP-559).
 */
public final class SyncGroupRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<Integer> GENERATION_ID = Field.int32("GenerationId");
  public static final Field<String> MEMBER_ID = Field.string("MemberId");
  public static final Field<String> GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(3).nullableSince(3).defaultsTo(null);
  public static final Field<String> PROTOCOL_TYPE =
      Field.string("ProtocolType").since(5).nullableSince(5).defaultsTo(null);
  public static final Field<String> PROTOCOL_NAME =
      Field.string("ProtocolName").since(5).nullableSince(5).defaultsTo(null);

  public static final Field<String> ASSIGNMENT_MEMBER_ID = Field.string("MemberId");
  public static final Field<byte[]> ASSIGNMENT_BYTES = Field.bytes("Assignment");
  public static final Schema ASSIGNMENT = Schema.of("SyncGroupRequestAssignment",
      ASSIGNMENT_MEMBER_ID, ASSIGNMENT_BYTES);
  public static final Field<List<Struct>> ASSIGNMENTS = Field.array("Assignments", ASSIGNMENT);

  public static final Schema SCHEMA = Schema.of("SyncGroupRequest",
      GROUP_ID, GENERATION_ID, MEMBER_ID, GROUP_INSTANCE_ID, PROTOCOL_TYPE, PROTOCOL_NAME,
      ASSIGNMENTS);

  private SyncGroupRequest() {}
}
