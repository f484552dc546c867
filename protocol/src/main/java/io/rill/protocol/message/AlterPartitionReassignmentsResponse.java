package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * AlterPartitionReassignments response (key 45), v0-1, flexible from v0: a top-level error and
 * one result per partition. v1 echoes AllowReplicationFactorChange.
 */
public final class AlterPartitionReassignmentsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Boolean> ALLOW_REPLICATION_FACTOR_CHANGE =
      Field.bool("AllowReplicationFactorChange").since(1).defaultsTo(true);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> PARTITION_ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");
  public static final Schema PARTITION = Schema.of("ReassignablePartitionResponse",
      PARTITION_INDEX, PARTITION_ERROR_CODE, PARTITION_ERROR_MESSAGE);

  public static final Field<String> NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("ReassignableTopicResponse", NAME, PARTITIONS);

  public static final Field<List<Struct>> RESPONSES = Field.array("Responses", TOPIC);

  public static final Schema SCHEMA = Schema.of("AlterPartitionReassignmentsResponse",
      THROTTLE_TIME_MS, ALLOW_REPLICATION_FACTOR_CHANGE, ERROR_CODE, ERROR_MESSAGE, RESPONSES);

  private AlterPartitionReassignmentsResponse() {}
}
