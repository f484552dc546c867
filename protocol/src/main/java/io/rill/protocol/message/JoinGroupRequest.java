package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * JoinGroup request (key 11), v0-9. v1 added RebalanceTimeoutMs; from v4 a member joining with
 * an empty id is sent MEMBER_ID_REQUIRED and joins again with the id it was given (KIP-394); v5
 * added the static member's GroupInstanceId (KIP-345); v6 is flexible; v8 added Reason (KIP-800).
 */
public final class JoinGroupRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  public static final Field<Integer> SESSION_TIMEOUT_MS = Field.int32("SessionTimeoutMs");
  /** -1 (absent in v0): use SessionTimeoutMs as the rebalance timeout. */
  public static final Field<Integer> REBALANCE_TIMEOUT_MS =
      Field.int32("RebalanceTimeoutMs").since(1).defaultsTo(-1);
  public static final Field<String> MEMBER_ID = Field.string("MemberId");
  public static final Field<String> GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(5).nullableSince(5).defaultsTo(null);
  public static final Field<String> PROTOCOL_TYPE = Field.string("ProtocolType");

  public static final Field<String> PROTOCOL_NAME = Field.string("Name");
  public static final Field<byte[]> PROTOCOL_METADATA = Field.bytes("Metadata");
  public static final Schema PROTOCOL = Schema.of("JoinGroupRequestProtocol",
      PROTOCOL_NAME, PROTOCOL_METADATA);
  public static final Field<List<Struct>> PROTOCOLS = Field.array("Protocols", PROTOCOL);

  public static final Field<String> REASON =
      Field.string("Reason").since(8).nullableSince(8).defaultsTo(null);

  public static final Schema SCHEMA = Schema.of("JoinGroupRequest",
      GROUP_ID, SESSION_TIMEOUT_MS, REBALANCE_TIMEOUT_MS, MEMBER_ID, GROUP_INSTANCE_ID,
      PROTOCOL_TYPE, PROTOCOLS, REASON);

  private JoinGroupRequest() {}
}
