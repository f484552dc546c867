package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;
import java.util.UUID;

/**
 * Metadata response (key 3), v0-12. v1 added Rack, ControllerId and IsInternal; v2 ClusterId;
 * v3 ThrottleTimeMs; v5 OfflineReplicas; v7 LeaderEpoch (KIP-320); v8 the authorized-operation
 * bit sets (KIP-430); v9 is flexible; v10 TopicId (KIP-516); v11 dropped
 * ClusterAuthorizedOperations (KIP-700); v12 made the topic Name nullable (lookups by id).
 */
public final class MetadataResponse {
  /** Kafka's "not requested" value for the authorized-operations bit sets. */
  public static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(3);

  public static final Field<Integer> BROKER_NODE_ID = Field.int32("NodeId");
  public static final Field<String> BROKER_HOST = Field.string("Host");
  public static final Field<Integer> BROKER_PORT = Field.int32("Port");
  public static final Field<String> BROKER_RACK = Field.string("Rack").since(1).nullableSince(1);
  public static final Schema METADATA_RESPONSE_BROKER = Schema.of("MetadataResponseBroker",
      BROKER_NODE_ID, BROKER_HOST, BROKER_PORT, BROKER_RACK);
  public static final Field<List<Struct>> BROKERS =
      Field.array("Brokers", METADATA_RESPONSE_BROKER);

  public static final Field<String> CLUSTER_ID = Field.string("ClusterId").since(2).nullableSince(2);
  public static final Field<Integer> CONTROLLER_ID =
      Field.int32("ControllerId").since(1).defaultsTo(-1);

  public static final Field<Short> PARTITION_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Integer> LEADER_ID = Field.int32("LeaderId");
  public static final Field<Integer> LEADER_EPOCH =
      Field.int32("LeaderEpoch").since(7).defaultsTo(-1);
  public static final Field<List<Integer>> REPLICA_NODES =
      Field.arrayOf("ReplicaNodes", Primitive.INT32);
  public static final Field<List<Integer>> ISR_NODES = Field.arrayOf("IsrNodes", Primitive.INT32);
  public static final Field<List<Integer>> OFFLINE_REPLICAS =
      Field.<Integer>arrayOf("OfflineReplicas", Primitive.INT32).since(5);
  public static final Schema METADATA_RESPONSE_PARTITION = Schema.of("MetadataResponsePartition",
      PARTITION_ERROR_CODE, PARTITION_INDEX, LEADER_ID, LEADER_EPOCH, REPLICA_NODES, ISR_NODES,
      OFFLINE_REPLICAS);

  public static final Field<Short> TOPIC_ERROR_CODE = Field.int16("ErrorCode");
  /** Null (v12+) for a topic asked for by an unknown id; Kafka's default is "". */
  public static final Field<String> TOPIC_NAME =
      Field.string("Name").nullableSince(12).defaultsTo("");
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(10);
  public static final Field<Boolean> IS_INTERNAL = Field.bool("IsInternal").since(1);
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", METADATA_RESPONSE_PARTITION);
  public static final Field<Integer> TOPIC_AUTHORIZED_OPERATIONS =
      Field.int32("TopicAuthorizedOperations").since(8).defaultsTo(AUTHORIZED_OPERATIONS_OMITTED);
  public static final Schema METADATA_RESPONSE_TOPIC = Schema.of("MetadataResponseTopic",
      TOPIC_ERROR_CODE, TOPIC_NAME, TOPIC_ID, IS_INTERNAL, PARTITIONS, TOPIC_AUTHORIZED_OPERATIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", METADATA_RESPONSE_TOPIC);

  public static final Field<Integer> CLUSTER_AUTHORIZED_OPERATIONS =
      Field.int32("ClusterAuthorizedOperations").versions(8, 10)
          .defaultsTo(AUTHORIZED_OPERATIONS_OMITTED);

  public static final Schema SCHEMA = Schema.of("MetadataResponse",
      THROTTLE_TIME_MS, BROKERS, CLUSTER_ID, CONTROLLER_ID, TOPICS, CLUSTER_AUTHORIZED_OPERATIONS);

  private MetadataResponse() {}
}
