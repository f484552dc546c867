package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * Produce request (key 0), v0-13 declared, v0-12 advertised. v3 added TransactionalId
 * (KIP-98); v4-8 changed only what the broker may answer; v9 is flexible (KIP-482); v13 names
 * topics by TopicId instead of Name (KIP-516), and is not advertised until topic ids are stable.
 * Versions 0-2 are advertised for librdkafka's feature probe but never served (KIP-896).
 *
 * <p>{@link #RECORDS} stays a zero-copy slice of the request buffer: its batches are validated
 * by the log layer, not here.
 */
public final class ProduceRequest {
  public static final Field<String> TRANSACTIONAL_ID =
      Field.string("TransactionalId").since(3).nullableSince(3);
  public static final Field<Short> ACKS = Field.int16("Acks");
  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs");

  public static final Field<Integer> PARTITION_INDEX = Field.int32("Index");
  /** Null is legal on the wire (Kafka answers it per partition), so the field is nullable. */
  public static final Field<Object> RECORDS = Field.records("Records").nullableSince(0);
  public static final Schema PARTITION_PRODUCE_DATA = Schema.of("PartitionProduceData",
      PARTITION_INDEX, RECORDS);

  public static final Field<String> TOPIC_NAME = Field.string("Name").versions(0, 12);
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(13);
  public static final Field<List<Struct>> PARTITION_DATA =
      Field.array("PartitionData", PARTITION_PRODUCE_DATA);
  public static final Schema TOPIC_PRODUCE_DATA = Schema.of("TopicProduceData",
      TOPIC_NAME, TOPIC_ID, PARTITION_DATA);
  public static final Field<List<Struct>> TOPIC_DATA = Field.array("TopicData", TOPIC_PRODUCE_DATA);

  public static final Schema SCHEMA = Schema.of("ProduceRequest",
      TRANSACTIONAL_ID, ACKS, TIMEOUT_MS, TOPIC_DATA);

  private ProduceRequest() {}
}
