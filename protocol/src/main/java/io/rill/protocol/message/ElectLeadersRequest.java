package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * ElectLeaders request (key 43), v0-2: elect the preferred (KIP-183) or, from v1, an unclean
 * (KIP-460) leader for the listed partitions, or for every partition when TopicPartitions is
 * null. v2 turned flexible (KIP-482).
 */
public final class ElectLeadersRequest {
  /** Kafka's ElectionType codes. */
  public static final byte PREFERRED = 0;
  public static final byte UNCLEAN = 1;

  public static final Field<Byte> ELECTION_TYPE = Field.int8("ElectionType").since(1);

  public static final Field<String> TOPIC = Field.string("Topic");
  public static final Field<List<Integer>> PARTITIONS = Field.arrayOf("Partitions",
      Primitive.INT32);
  public static final Schema TOPIC_PARTITIONS = Schema.of("TopicPartitions", TOPIC, PARTITIONS);

  /** Null: every partition. */
  public static final Field<List<Struct>> TOPIC_PARTITIONS_FIELD =
      Field.array("TopicPartitions", TOPIC_PARTITIONS).nullableSince(0);
  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs").defaultsTo(60000);

  public static final Schema SCHEMA = Schema.of("ElectLeadersRequest", ELECTION_TYPE,
      TOPIC_PARTITIONS_FIELD, TIMEOUT_MS);

  private ElectLeadersRequest() {}
}
