package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;
import java.util.UUID;

/**
 * DeleteTopics request (key 20), v1-6; sent by the Admin client to the controller. v0 was
 * removed by KIP-896; v1-3 are alike, v4 turned flexible (KIP-482), v5 only changed the
 * response, and v6 replaced the list of names with Topics, each named or given by topic ID
 * (KIP-516).
 */
public final class DeleteTopicsRequest {
  /** Null when the topic is given by ID. */
  public static final Field<String> NAME =
      Field.string("Name").since(6).nullableSince(6).defaultsTo(null);
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(6);
  public static final Schema TOPIC = Schema.of("DeleteTopicState", NAME, TOPIC_ID);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC).since(6);
  public static final Field<List<String>> TOPIC_NAMES =
      Field.<String>arrayOf("TopicNames", Primitive.STRING).versions(0, 5);
  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs");

  public static final Schema SCHEMA = Schema.of("DeleteTopicsRequest",
      TOPICS, TOPIC_NAMES, TIMEOUT_MS);

  private DeleteTopicsRequest() {}
}
