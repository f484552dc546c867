package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * CreateTopics response (key 19), v2-7. v5 turned flexible (KIP-482) and added each topic's
 * partition count, replication factor and configs, or a tagged TopicConfigErrorCode when the
 * configs cannot be described (KIP-525); v6 only allows THROTTLING_QUOTA_EXCEEDED (KIP-599);
 * v7 added the TopicId (KIP-516).
 */
public final class CreateTopicsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(2);

  public static final Field<String> CONFIG_NAME = Field.string("Name").since(5);
  public static final Field<String> CONFIG_VALUE =
      Field.string("Value").since(5).nullableSince(5).defaultsTo("");
  public static final Field<Boolean> CONFIG_READ_ONLY = Field.bool("ReadOnly").since(5);
  /** A DescribeConfigs ConfigSource (0 unknown ... 5 default); the field defaults to -1. */
  public static final Field<Byte> CONFIG_SOURCE =
      Field.int8("ConfigSource").since(5).defaultsTo((byte) -1);
  public static final Field<Boolean> CONFIG_IS_SENSITIVE = Field.bool("IsSensitive").since(5);
  public static final Schema CONFIG = Schema.of("CreatableTopicConfigs",
      CONFIG_NAME, CONFIG_VALUE, CONFIG_READ_ONLY, CONFIG_SOURCE, CONFIG_IS_SENSITIVE);

  public static final Field<String> NAME = Field.string("Name");
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(7);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  /** Present from v1 (so in every version we speak); Kafka's default is "", not null. */
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").since(1).nullableSince(0).defaultsTo("");
  /** Why Configs is absent although the topic was created; written only when non-zero. */
  public static final Field<Short> TOPIC_CONFIG_ERROR_CODE =
      Field.int16("TopicConfigErrorCode").tagged(0, 5);
  public static final Field<Integer> NUM_PARTITIONS =
      Field.int32("NumPartitions").since(5).defaultsTo(-1);
  public static final Field<Short> REPLICATION_FACTOR =
      Field.int16("ReplicationFactor").since(5).defaultsTo((short) -1);
  public static final Field<List<Struct>> CONFIGS =
      Field.array("Configs", CONFIG).since(5).nullableSince(5);
  public static final Schema TOPIC_RESULT = Schema.of("CreatableTopicResult",
      NAME, TOPIC_ID, ERROR_CODE, ERROR_MESSAGE, TOPIC_CONFIG_ERROR_CODE, NUM_PARTITIONS,
      REPLICATION_FACTOR, CONFIGS);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC_RESULT);

  public static final Schema SCHEMA = Schema.of("CreateTopicsResponse", THROTTLE_TIME_MS, TOPICS);

  private CreateTopicsResponse() {}
}
