package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;
import java.util.UUID;

/**
 * Fetch request (key 1), v4-17. v4 added IsolationLevel (KIP-98); v5 LogStartOffset; v7 fetch
 * sessions (KIP-227: SessionId, SessionEpoch, ForgottenTopicsData); v9 CurrentLeaderEpoch
 * (KIP-320); v11 RackId (KIP-392); v12 is flexible, with LastFetchedEpoch and the tagged
 * ClusterId (KIP-595); v13 names topics by TopicId (KIP-516); v15 moves the follower's id into
 * the tagged ReplicaState (KIP-903); v17 adds the tagged ReplicaDirectoryId (KIP-853).
 */
public final class FetchRequest {
  public static final Field<String> CLUSTER_ID =
      Field.string("ClusterId").nullableSince(12).tagged(0, 12);
  /** -1 for a consumer; a follower's broker id otherwise (moved to ReplicaState in v15). */
  public static final Field<Integer> REPLICA_ID =
      Field.int32("ReplicaId").versions(0, 14).defaultsTo(-1);

  public static final Field<Integer> STATE_REPLICA_ID = Field.int32("ReplicaId").defaultsTo(-1);
  public static final Field<Long> STATE_REPLICA_EPOCH = Field.int64("ReplicaEpoch").defaultsTo(-1L);
  public static final Schema REPLICA_STATE_SCHEMA = Schema.of("ReplicaState",
      STATE_REPLICA_ID, STATE_REPLICA_EPOCH);
  public static final Field<Struct> REPLICA_STATE =
      Field.struct("ReplicaState", REPLICA_STATE_SCHEMA).tagged(1, 15);

  public static final Field<Integer> MAX_WAIT_MS = Field.int32("MaxWaitMs");
  public static final Field<Integer> MIN_BYTES = Field.int32("MinBytes");
  public static final Field<Integer> MAX_BYTES =
      Field.int32("MaxBytes").since(3).defaultsTo(Integer.MAX_VALUE);
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED. */
  public static final Field<Byte> ISOLATION_LEVEL =
      Field.int8("IsolationLevel").since(4).defaultsTo((byte) 0);
  public static final Field<Integer> SESSION_ID = Field.int32("SessionId").since(7).defaultsTo(0);
  public static final Field<Integer> SESSION_EPOCH =
      Field.int32("SessionEpoch").since(7).defaultsTo(-1);

  public static final Field<Integer> PARTITION = Field.int32("Partition");
  public static final Field<Integer> CURRENT_LEADER_EPOCH =
      Field.int32("CurrentLeaderEpoch").since(9).defaultsTo(-1);
  public static final Field<Long> FETCH_OFFSET = Field.int64("FetchOffset");
  public static final Field<Integer> LAST_FETCHED_EPOCH =
      Field.int32("LastFetchedEpoch").since(12).defaultsTo(-1);
  /** Only followers send it; -1 from consumers. */
  public static final Field<Long> LOG_START_OFFSET =
      Field.int64("LogStartOffset").since(5).defaultsTo(-1L);
  public static final Field<Integer> PARTITION_MAX_BYTES = Field.int32("PartitionMaxBytes");
  public static final Field<UUID> REPLICA_DIRECTORY_ID =
      Field.uuid("ReplicaDirectoryId").tagged(0, 17);
  public static final Schema FETCH_PARTITION = Schema.of("FetchPartition",
      PARTITION, CURRENT_LEADER_EPOCH, FETCH_OFFSET, LAST_FETCHED_EPOCH, LOG_START_OFFSET,
      PARTITION_MAX_BYTES, REPLICA_DIRECTORY_ID);

  public static final Field<String> TOPIC = Field.string("Topic").versions(0, 12);
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(13);
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", FETCH_PARTITION);
  public static final Schema FETCH_TOPIC = Schema.of("FetchTopic", TOPIC, TOPIC_ID, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", FETCH_TOPIC);

  public static final Field<String> FORGOTTEN_TOPIC = Field.string("Topic").versions(7, 12);
  public static final Field<UUID> FORGOTTEN_TOPIC_ID = Field.uuid("TopicId").since(13);
  public static final Field<List<Integer>> FORGOTTEN_PARTITIONS =
      Field.arrayOf("Partitions", Primitive.INT32);
  public static final Schema FORGOTTEN_TOPIC_SCHEMA = Schema.of("ForgottenTopic",
      FORGOTTEN_TOPIC, FORGOTTEN_TOPIC_ID, FORGOTTEN_PARTITIONS);
  public static final Field<List<Struct>> FORGOTTEN_TOPICS_DATA =
      Field.array("ForgottenTopicsData", FORGOTTEN_TOPIC_SCHEMA).since(7);

  public static final Field<String> RACK_ID = Field.string("RackId").since(11).defaultsTo("");

  public static final Schema SCHEMA = Schema.of("FetchRequest",
      CLUSTER_ID, REPLICA_ID, REPLICA_STATE, MAX_WAIT_MS, MIN_BYTES, MAX_BYTES, ISOLATION_LEVEL,
      SESSION_ID, SESSION_EPOCH, TOPICS, FORGOTTEN_TOPICS_DATA, RACK_ID);

  private FetchRequest() {}
}
