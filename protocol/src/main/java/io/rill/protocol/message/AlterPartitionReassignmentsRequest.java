package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * AlterPartitionReassignments request (key 45), v0-1, flexible from v0 (KIP-455): per partition
 * the target replicas, or null to cancel the reassignment in progress. v1 (KIP-860) added
 * AllowReplicationFactorChange (true when absent).
 */
public final class AlterPartitionReassignmentsRequest {
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  /** Null: cancel. */
  public static final Field<List<Integer>> REPLICAS =
      Field.<Integer>arrayOf("Replicas", Primitive.INT32).nullableSince(0).defaultsTo(null);
  public static final Schema PARTITION = Schema.of("ReassignablePartition", PARTITION_INDEX,
      REPLICAS);

  public static final Field<String> NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("ReassignableTopic", NAME, PARTITIONS);

  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs").defaultsTo(60000);
  public static final Field<Boolean> ALLOW_REPLICATION_FACTOR_CHANGE =
      Field.bool("AllowReplicationFactorChange").since(1).defaultsTo(true);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("AlterPartitionReassignmentsRequest", TIMEOUT_MS,
      ALLOW_REPLICATION_FACTOR_CHANGE, TOPICS);

  private AlterPartitionReassignmentsRequest() {}
}
