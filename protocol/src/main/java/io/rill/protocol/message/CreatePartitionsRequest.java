package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * CreatePartitions request (key 37), v0-3: raises the partition count of existing topics
 * (KIP-195). v1 is v0 again, v2 turned flexible (KIP-482), v3 only allows the response to carry
 * THROTTLING_QUOTA_EXCEEDED (KIP-599).
 */
public final class CreatePartitionsRequest {
  public static final Field<List<Integer>> BROKER_IDS =
      Field.arrayOf("BrokerIds", Primitive.INT32);
  public static final Schema ASSIGNMENT = Schema.of("CreatePartitionsAssignment", BROKER_IDS);

  public static final Field<String> NAME = Field.string("Name");
  /** The new total partition count, not the number to add. */
  public static final Field<Integer> COUNT = Field.int32("Count");
  /** One entry per new partition; null for automatic assignment. */
  public static final Field<List<Struct>> ASSIGNMENTS =
      Field.array("Assignments", ASSIGNMENT).nullableSince(0);
  public static final Schema TOPIC = Schema.of("CreatePartitionsTopic",
      NAME, COUNT, ASSIGNMENTS);

  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);
  public static final Field<Integer> TIMEOUT_MS = Field.int32("TimeoutMs");
  public static final Field<Boolean> VALIDATE_ONLY = Field.bool("ValidateOnly");

  public static final Schema SCHEMA = Schema.of("CreatePartitionsRequest",
      TOPICS, TIMEOUT_MS, VALIDATE_ONLY);

  private CreatePartitionsRequest() {}
}
