package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * FindCoordinator response (key 10), v0-6. v0-3 carry one coordinator inline; v4+ one
 * Coordinator per requested key (KIP-699), and the Java client fails unless exactly one comes
 * back for its one key. v1 added the throttle time and error message; v3 is flexible.
 */
public final class FindCoordinatorResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode").versions(0, 3);
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").versions(1, 3).nullableSince(1).defaultsTo("");
  public static final Field<Integer> NODE_ID = Field.int32("NodeId").versions(0, 3);
  public static final Field<String> HOST = Field.string("Host").versions(0, 3);
  public static final Field<Integer> PORT = Field.int32("Port").versions(0, 3);

  public static final Field<String> COORDINATOR_KEY = Field.string("Key");
  public static final Field<Integer> COORDINATOR_NODE_ID = Field.int32("NodeId");
  public static final Field<String> COORDINATOR_HOST = Field.string("Host");
  public static final Field<Integer> COORDINATOR_PORT = Field.int32("Port");
  public static final Field<Short> COORDINATOR_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> COORDINATOR_ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(4).defaultsTo("");
  public static final Schema COORDINATOR = Schema.of("Coordinator",
      COORDINATOR_KEY, COORDINATOR_NODE_ID, COORDINATOR_HOST, COORDINATOR_PORT,
      COORDINATOR_ERROR_CODE, COORDINATOR_ERROR_MESSAGE);
  public static final Field<List<Struct>> COORDINATORS =
      Field.array("Coordinators", COORDINATOR).since(4);

  public static final Schema SCHEMA = Schema.of("FindCoordinatorResponse",
      THROTTLE_TIME_MS, ERROR_CODE, ERROR_MESSAGE, NODE_ID, HOST, PORT, COORDINATORS);

  private FindCoordinatorResponse() {}
}
