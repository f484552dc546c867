package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.UUID;

/**
 * DeleteTopics response (key 20), v1-6. v1 added ThrottleTimeMs, v4 turned flexible (KIP-482),
 * v5 added an ErrorMessage per topic and may carry THROTTLING_QUOTA_EXCEEDED (KIP-599), v6 added
 * the TopicId and lets the Name be null for a topic deleted by an unknown ID (KIP-516).
 */
public final class DeleteTopicsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);

  /** Kafka's default is "" although v6+ may send null. */
  public static final Field<String> NAME = Field.string("Name").nullableSince(6).defaultsTo("");
  public static final Field<UUID> TOPIC_ID = Field.uuid("TopicId").since(6);
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").since(5).nullableSince(5).defaultsTo(null);
  public static final Schema TOPIC_RESULT = Schema.of("DeletableTopicResult",
      NAME, TOPIC_ID, ERROR_CODE, ERROR_MESSAGE);

  public static final Field<List<Struct>> RESPONSES = Field.array("Responses", TOPIC_RESULT);

  public static final Schema SCHEMA = Schema.of("DeleteTopicsResponse",
      THROTTLE_TIME_MS, RESPONSES);

  private DeleteTopicsResponse() {}
}
