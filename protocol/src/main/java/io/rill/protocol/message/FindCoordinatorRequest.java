package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * FindCoordinator request (key 10), v0-6. v0-3 ask for one key; v4+ batch several keys of one
 * type (KIP-699). v1 added KeyType (0 group, 1 transaction; 2 share from v6, KIP-932); v3 is
 * flexible; v5 may answer TRANSACTION_ABORTABLE (KIP-890).
 */
public final class FindCoordinatorRequest {
  public static final Field<String> KEY = Field.string("Key").versions(0, 3);
  /** 0 group, 1 transaction, 2 share ("groupId:topicId:partition"). */
  public static final Field<Byte> KEY_TYPE = Field.int8("KeyType").since(1);
  public static final Field<List<String>> COORDINATOR_KEYS =
      Field.<String>arrayOf("CoordinatorKeys", Primitive.STRING).since(4);

  public static final Schema SCHEMA = Schema.of("FindCoordinatorRequest",
      KEY, KEY_TYPE, COORDINATOR_KEYS);

  private FindCoordinatorRequest() {}
}
