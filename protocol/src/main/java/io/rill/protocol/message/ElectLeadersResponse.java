package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * ElectLeaders response (key 43), v0-2: a result per partition (ELECTION_NOT_NEEDED,
 * PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, ...); v1 added the top-level
 * ErrorCode, v2 turned flexible.
 */
public final class ElectLeadersResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode").since(1);

  public static final Field<Integer> PARTITION_ID = Field.int32("PartitionId");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");
  public static final Schema PARTITION_RESULT = Schema.of("PartitionResult", PARTITION_ID,
      PARTITION_ERROR_CODE, ERROR_MESSAGE);

  public static final Field<String> TOPIC = Field.string("Topic");
  public static final Field<List<Struct>> PARTITION_RESULTS =
      Field.array("PartitionResult", PARTITION_RESULT);
  public static final Schema REPLICA_ELECTION_RESULT = Schema.of("ReplicaElectionResult", TOPIC,
      PARTITION_RESULTS);

  public static final Field<List<Struct>> REPLICA_ELECTION_RESULTS =
      Field.array("ReplicaElectionResults", REPLICA_ELECTION_RESULT);

  public static final Schema SCHEMA = Schema.of("ElectLeadersResponse", THROTTLE_TIME_MS,
      ERROR_CODE, REPLICA_ELECTION_RESULTS);

  private ElectLeadersResponse() {}
}
