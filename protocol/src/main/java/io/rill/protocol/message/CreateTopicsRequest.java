package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * CreateTopics request (key 19), v2-7; sent by the Admin client to the controller. v0-1 were
 * removed by KIP-896; the body is the same in every version we speak: v4 lets NumPartitions and
 * ReplicationFactor be -1 for the broker's default (KIP-464), v5 turned flexible (KIP-482), v6
 * and v7 changed only the response.
 *
 * <p>{@code timeoutMs} and {@code validateOnly} are spelled in camel case: that is Kafka's name.
 */
public final class CreateTopicsRequest {
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<List<Integer>> BROKER_IDS =
      Field.arrayOf("BrokerIds", Primitive.INT32);
  public static final Schema ASSIGNMENT = Schema.of("CreatableReplicaAssignment",
      PARTITION_INDEX, BROKER_IDS);

  public static final Field<String> CONFIG_NAME = Field.string("Name");
  /** Null asks for the broker's default; Kafka's generated default is "" all the same. */
  public static final Field<String> CONFIG_VALUE =
      Field.string("Value").nullableSince(0).defaultsTo("");
  public static final Schema CONFIG = Schema.of("CreatableTopicConfig", CONFIG_NAME, CONFIG_VALUE);

  public static final Field<String> NAME = Field.string("Name");
  /** -1 (v4+): the broker's default, or the count of a manual assignment. Kafka defaults to 0. */
  public static final Field<Integer> NUM_PARTITIONS = Field.int32("NumPartitions");
  /** -1 (v4+): the broker's default, or the size of a manual assignment. */
  public static final Field<Short> REPLICATION_FACTOR = Field.int16("ReplicationFactor");
  /** Empty for automatic assignment. */
  public static final Field<List<Struct>> ASSIGNMENTS = Field.array("Assignments", ASSIGNMENT);
  public static final Field<List<Struct>> CONFIGS = Field.array("Configs", CONFIG);
  public static final Schema TOPIC = Schema.of("CreatableTopic",
      NAME, NUM_PARTITIONS, REPLICATION_FACTOR, ASSIGNMENTS, CONFIGS);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);
  public static final Field<Integer> TIMEOUT_MS = Field.int32("timeoutMs").defaultsTo(60_000);
  public static final Field<Boolean> VALIDATE_ONLY = Field.bool("validateOnly").since(1);

  public static final Schema SCHEMA = Schema.of("CreateTopicsRequest",
      TOPICS, TIMEOUT_MS, VALIDATE_ONLY);

  private CreateTopicsRequest() {}
}
