package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeQuorum request (key 55), v0-2, flexible from v0 (KIP-595): the state of the metadata
 * quorum, asked of a broker or a controller (as {@code kafka-metadata-quorum} and {@code
 * Admin.describeMetadataQuorum} do). Only one partition is meaningful: {@code __cluster_metadata}
 * partition 0. v1 (KIP-836) and v2 (KIP-853) changed only the response; the request is the
 * same in every version.
 *
 * <p>Served by every broker (DescribeQuorumHandler), which asks the active controller.
 */
public final class DescribeQuorumRequest {
  /** The one topic a quorum can be asked about: the metadata log. */
  public static final String METADATA_TOPIC = "__cluster_metadata";

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Schema PARTITION = Schema.of("PartitionData", PARTITION_INDEX);

  public static final Field<String> TOPIC_NAME = Field.string("TopicName");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("TopicData", TOPIC_NAME, PARTITIONS);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("DescribeQuorumRequest", TOPICS);

  private DescribeQuorumRequest() {}
}
