package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * Heartbeat request (key 12), v0-4. v3 added the static member's GroupInstanceId (KIP-345); v4
 * is flexible.
 */
public final class HeartbeatRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<Integer> GENERATION_ID = Field.int32("GenerationId");
  public static final Field<String> MEMBER_ID = Field.string("MemberId");
  public static final Field<String> GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(3).nullableSince(3).defaultsTo(null);

  public static final Schema SCHEMA = Schema.of("HeartbeatRequest",
      GROUP_ID, GENERATION_ID, MEMBER_ID, GROUP_INSTANCE_ID);

  private HeartbeatRequest() {}
}
