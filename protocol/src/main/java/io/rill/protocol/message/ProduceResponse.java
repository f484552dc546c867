package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * Produce response (key 0), v0-13 declared, v0-12 advertised. v1 added ThrottleTimeMs; v2
 * LogAppendTimeMs; v5 LogStartOffset; v8 per-record errors (KIP-467); v9 is flexible; v10 the
 * tagged CurrentLeader and NodeEndpoints so a client can redirect without a Metadata round trip
 * (KIP-951); v13 names topics by TopicId.
 */
public final class ProduceResponse {
  public static final Field<Integer> LEADER_ID = Field.int32("LeaderId").defaultsTo(-1);
  public static final Field<Integer> LEADER_EPOCH = Field.int32("LeaderEpoch").defaultsTo(-1);
  public static final Schema LEADER_ID_AND_EPOCH = Schema.of("LeaderIdAndEpoch",
      LEADER_ID, LEADER_EPOCH);

  public static final Field<Integer> BATCH_INDEX = Field.int32("BatchIndex");
  public static final Field<String> BATCH_INDEX_ERROR_MESSAGE =
      Field.string("BatchIndexErrorMessage").nullableSince(8);
  public static final Schema BATCH_INDEX_AND_ERROR_MESSAGE = Schema.of(
      "BatchIndexAndErrorMessage", BATCH_INDEX, BATCH_INDEX_ERROR_MESSAGE);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("Index");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Long> BASE_OFFSET = Field.int64("BaseOffset");
  /** -1 when the topic uses CreateTime. */
  public static final Field<Long> LOG_APPEND_TIME_MS =
      Field.int64("LogAppendTimeMs").since(2).defaultsTo(-1L);
  public static final Field<Long> LOG_START_OFFSET =
      Field.int64("LogStartOffset").since(5).defaultsTo(-1L);
  public static final Field<List<Struct>> RECORD_ERRORS =
      Field.array("RecordErrors", BATCH_INDEX_AND_ERROR_MESSAGE).since(8);
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").since(8).nullableSince(8);
  public static final Field<Struct> CURRENT_LEADER =
      Field.struct("CurrentLeader", LEADER_ID_AND_EPOCH).tagged(0, 10);
  public static final Schema PARTITION_PRODUCE_RESPONSE = Schema.of("PartitionProduceResponse",
      PARTITION_INDEX, ERROR_CODE, BASE_OFFSET, LOG_APPEND_TIME_MS, LOG_START_OFFSET,
      RECORD_ERRORS, ERROR_MESSAGE, CURRENT_LEADER);

  public static final Field<String> TOPIC_NAME = Field.string("Name").versions(0, 12);
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(13);
  public static final Field<List<Struct>> PARTITION_RESPONSES =
      Field.array("PartitionResponses", PARTITION_PRODUCE_RESPONSE);
  public static final Schema TOPIC_PRODUCE_RESPONSE = Schema.of("TopicProduceResponse",
      TOPIC_NAME, TOPIC_ID, PARTITION_RESPONSES);
  public static final Field<List<Struct>> RESPONSES =
      Field.array("Responses", TOPIC_PRODUCE_RESPONSE);

  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);

  public static final Field<Integer> NODE_ID = Field.int32("NodeId");
  public static final Field<String> NODE_HOST = Field.string("Host");
  public static final Field<Integer> NODE_PORT = Field.int32("Port");
  public static final Field<String> NODE_RACK = Field.string("Rack").nullableSince(10);
  public static final Schema NODE_ENDPOINT = Schema.of("NodeEndpoint",
      NODE_ID, NODE_HOST, NODE_PORT, NODE_RACK);
  public static final Field<List<Struct>> NODE_ENDPOINTS =
      Field.array("NodeEndpoints", NODE_ENDPOINT).tagged(0, 10);

  public static final Schema SCHEMA = Schema.of("ProduceResponse",
      RESPONSES, THROTTLE_TIME_MS, NODE_ENDPOINTS);

  private ProduceResponse() {}
}
