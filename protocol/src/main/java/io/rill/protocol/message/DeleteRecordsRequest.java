package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DeleteRecords request (key 21), v0-2: advance each partition's log start offset to Offset
 * (-1 meaning the high watermark; KIP-107). v1 is unchanged on the wire; v2 is flexible.
 */
public final class DeleteRecordsRequest {
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Long> OFFSET = Field.int64("Offset");
  public static final Schema DELETE_RECORDS_PARTITION = Schema.of("DeleteRecordsPartition",
      PARTITION_INDEX, OFFSET);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", DELETE_RECORDS_PARTITION);
  public static final Schema DELETE_RECORDS_TOPIC = Schema.of("DeleteRecordsTopic",
      TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", DELETE_RECORDS_TOPIC);

  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs");

  public static final Schema SCHEMA = Schema.of("DeleteRecordsRequest", TOPICS, TIMEOUT_MS);

  private DeleteRecordsRequest() {}
}
