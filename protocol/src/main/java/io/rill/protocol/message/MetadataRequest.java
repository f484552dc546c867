package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * Metadata request (key 3), v0-12. v0: an empty topic list means all topics; v1 made Topics
 * nullable, null meaning all and empty meaning none; v4 added AllowAutoTopicCreation (KIP-204;
 * older versions always auto-create, hence the default true); v8 the authorized-operations flags
 * (KIP-430); v9 is flexible; v10 TopicId, with Name nullable (KIP-516); v11 dropped
 * IncludeClusterAuthorizedOperations (KIP-700, now DescribeCluster's).
 */
public final class MetadataRequest {
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(10);
  /** Null (v10+) when the topic is asked for by id; Kafka's default is "" nonetheless. */
  public static final Field<String> TOPIC_NAME =
      Field.string("Name").nullableSince(10).defaultsTo("");
  public static final Schema METADATA_REQUEST_TOPIC = Schema.of("MetadataRequestTopic",
      TOPIC_ID, TOPIC_NAME);
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", METADATA_REQUEST_TOPIC).nullableSince(1);

  public static final Field<Boolean> ALLOW_AUTO_TOPIC_CREATION =
      Field.bool("AllowAutoTopicCreation").since(4).defaultsTo(true);
  public static final Field<Boolean> INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS =
      Field.bool("IncludeClusterAuthorizedOperations").versions(8, 10);
  public static final Field<Boolean> INCLUDE_TOPIC_AUTHORIZED_OPERATIONS =
      Field.bool("IncludeTopicAuthorizedOperations").since(8);

  public static final Schema SCHEMA = Schema.of("MetadataRequest",
      TOPICS, ALLOW_AUTO_TOPIC_CREATION, INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS,
      INCLUDE_TOPIC_AUTHORIZED_OPERATIONS);

  private MetadataRequest() {}
}
