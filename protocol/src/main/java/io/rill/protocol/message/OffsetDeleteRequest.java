package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetDelete request (key 47), v0 only, never flexible (KIP-496): delete a group's committed
 * offsets for partitions it no longer consumes.
 */
public final class OffsetDeleteRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Schema PARTITION = Schema.of("OffsetDeleteRequestPartition",
      PARTITION_INDEX);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OffsetDeleteRequestTopic", TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("OffsetDeleteRequest", GROUP_ID, TOPICS);

  private OffsetDeleteRequest() {}
}
