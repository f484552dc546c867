package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * Fetch response (key 1), v4-17. v4 added LastStableOffset and AbortedTransactions (KIP-98);
 * v5 LogStartOffset; v7 the top-level ErrorCode and SessionId (KIP-227); v11
 * PreferredReadReplica (KIP-392); v12 is flexible, with the tagged DivergingEpoch, CurrentLeader
 * and SnapshotId (KIP-595); v13 names topics by TopicId; v16 the tagged NodeEndpoints (KIP-951).
 *
 * <p>{@link #RECORDS} may be given as ExternalBytes (a file region) to encode; decoded it is a
 * slice of the response buffer.
 */
public final class FetchResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode").since(7);
  public static final Field<Integer> SESSION_ID = Field.int32("SessionId").since(7).defaultsTo(0);

  public static final Field<Integer> DIVERGING_EPOCH_EPOCH = Field.int32("Epoch").defaultsTo(-1);
  public static final Field<Long> DIVERGING_EPOCH_END_OFFSET =
      Field.int64("EndOffset").defaultsTo(-1L);
  public static final Schema EPOCH_END_OFFSET = Schema.of("EpochEndOffset",
      DIVERGING_EPOCH_EPOCH, DIVERGING_EPOCH_END_OFFSET);

  public static final Field<Integer> LEADER_ID = Field.int32("LeaderId").defaultsTo(-1);
  public static final Field<Integer> LEADER_EPOCH = Field.int32("LeaderEpoch").defaultsTo(-1);
  public static final Schema LEADER_ID_AND_EPOCH = Schema.of("LeaderIdAndEpoch",
      LEADER_ID, LEADER_EPOCH);

  public static final Field<Long> SNAPSHOT_END_OFFSET = Field.int64("EndOffset").defaultsTo(-1L);
  public static final Field<Integer> SNAPSHOT_EPOCH = Field.int32("Epoch").defaultsTo(-1);
  public static final Schema SNAPSHOT_ID_SCHEMA = Schema.of("SnapshotId",
      SNAPSHOT_END_OFFSET, SNAPSHOT_EPOCH);

  public static final Field<Long> ABORTED_PRODUCER_ID = Field.int64("ProducerId");
  public static final Field<Long> ABORTED_FIRST_OFFSET = Field.int64("FirstOffset");
  public static final Schema ABORTED_TRANSACTION = Schema.of("AbortedTransaction",
      ABORTED_PRODUCER_ID, ABORTED_FIRST_OFFSET);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Long> HIGH_WATERMARK = Field.int64("HighWatermark");
  public static final Field<Long> LAST_STABLE_OFFSET =
      Field.int64("LastStableOffset").since(4).defaultsTo(-1L);
  public static final Field<Long> LOG_START_OFFSET =
      Field.int64("LogStartOffset").since(5).defaultsTo(-1L);
  public static final Field<Struct> DIVERGING_EPOCH =
      Field.struct("DivergingEpoch", EPOCH_END_OFFSET).tagged(0, 12);
  public static final Field<Struct> CURRENT_LEADER =
      Field.struct("CurrentLeader", LEADER_ID_AND_EPOCH).tagged(1, 12);
  public static final Field<Struct> SNAPSHOT_ID =
      Field.struct("SnapshotId", SNAPSHOT_ID_SCHEMA).tagged(2, 12);
  /** Null unless the fetch is READ_COMMITTED. */
  public static final Field<List<Struct>> ABORTED_TRANSACTIONS =
      Field.array("AbortedTransactions", ABORTED_TRANSACTION).since(4).nullableSince(4);
  public static final Field<Integer> PREFERRED_READ_REPLICA =
      Field.int32("PreferredReadReplica").since(11).defaultsTo(-1);
  public static final Field<Object> RECORDS = Field.records("Records").nullableSince(0);
  public static final Schema PARTITION_DATA = Schema.of("PartitionData",
      PARTITION_INDEX, PARTITION_ERROR_CODE, HIGH_WATERMARK, LAST_STABLE_OFFSET, LOG_START_OFFSET,
      DIVERGING_EPOCH, CURRENT_LEADER, SNAPSHOT_ID, ABORTED_TRANSACTIONS, PREFERRED_READ_REPLICA,
      RECORDS);

  public static final Field<String> TOPIC = Field.string("Topic").versions(0, 12);
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(13);
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION_DATA);
  public static final Schema FETCHABLE_TOPIC_RESPONSE = Schema.of("FetchableTopicResponse",
      TOPIC, TOPIC_ID, PARTITIONS);
  public static final Field<List<Struct>> RESPONSES =
      Field.array("Responses", FETCHABLE_TOPIC_RESPONSE);

  public static final Field<Integer> NODE_ID = Field.int32("NodeId");
  public static final Field<String> NODE_HOST = Field.string("Host");
  public static final Field<Integer> NODE_PORT = Field.int32("Port");
  public static final Field<String> NODE_RACK = Field.string("Rack").nullableSince(16);
  public static final Schema NODE_ENDPOINT = Schema.of("NodeEndpoint",
      NODE_ID, NODE_HOST, NODE_PORT, NODE_RACK);
  public static final Field<List<Struct>> NODE_ENDPOINTS =
      Field.array("NodeEndpoints", NODE_ENDPOINT).tagged(0, 16);

  public static final Schema SCHEMA = Schema.of("FetchResponse",
      THROTTLE_TIME_MS, ERROR_CODE, SESSION_ID, RESPONSES, NODE_ENDPOINTS);

  private FetchResponse() {}
}
