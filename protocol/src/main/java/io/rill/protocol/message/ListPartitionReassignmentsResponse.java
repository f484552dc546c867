package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * ListPartitionReassignments response (key 46), v0, flexible: per partition being reassigned,
 * its replicas (target first, then those leaving), the adding and the removing ones.
 */
public final class ListPartitionReassignmentsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<List<Integer>> REPLICAS = Field.arrayOf("Replicas", Primitive.INT32);
  public static final Field<List<Integer>> ADDING_REPLICAS =
      Field.arrayOf("AddingReplicas", Primitive.INT32);
  public static final Field<List<Integer>> REMOVING_REPLICAS =
      Field.arrayOf("RemovingReplicas", Primitive.INT32);
  public static final Schema PARTITION = Schema.of("OngoingPartitionReassignment",
      PARTITION_INDEX, REPLICAS, ADDING_REPLICAS, REMOVING_REPLICAS);

  public static final Field<String> NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OngoingTopicReassignment", NAME, PARTITIONS);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("ListPartitionReassignmentsResponse",
      THROTTLE_TIME_MS, ERROR_CODE, ERROR_MESSAGE, TOPICS);

  private ListPartitionReassignmentsResponse() {}
}
