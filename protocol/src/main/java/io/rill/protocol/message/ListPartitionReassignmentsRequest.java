package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * ListPartitionReassignments request (key 46), v0, flexible (KIP-455): the reassignments in
 * progress of the listed partitions, or of every partition when Topics is null.
 */
public final class ListPartitionReassignmentsRequest {
  public static final Field<String> NAME = Field.string("Name");
  public static final Field<List<Integer>> PARTITION_INDEXES =
      Field.arrayOf("PartitionIndexes", Primitive.INT32);
  public static final Schema TOPIC = Schema.of("ListPartitionReassignmentsTopics", NAME,
      PARTITION_INDEXES);

  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs").defaultsTo(60000);
  /** Null: every partition. */
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", TOPIC).nullableSince(0).defaultsTo(null);

  public static final Schema SCHEMA = Schema.of("ListPartitionReassignmentsRequest", TIMEOUT_MS,
      TOPICS);

  private ListPartitionReassignmentsRequest() {}
}
