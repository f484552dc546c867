package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * OffsetFetch request (key 9), v1-9. Two layouts: v1-7 name one group and its topics (a null
 * topic list, from v2, asks for every committed topic); v8+ batch several groups, each with its
 * own (nullable) topic list. v6 is flexible; v7 added RequireStable (KIP-447); v9 added the
 * KIP-848 member id and epoch. (v10, unstable in kafka-clients 4.1, uses topic ids; not served.)
 */
public final class OffsetFetchRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId").versions(0, 7);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Integer>> PARTITION_INDEXES =
      Field.arrayOf("PartitionIndexes", Primitive.INT32);
  public static final Schema TOPIC = Schema.of("OffsetFetchRequestTopic",
      TOPIC_NAME, PARTITION_INDEXES);
  /** Null (v2+): every topic the group has committed offsets for. */
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", TOPIC).versions(0, 7).nullableSince(2);

  public static final Field<String> GROUP_TOPIC_NAME = Field.string("Name");
  public static final Field<List<Integer>> GROUP_PARTITION_INDEXES =
      Field.arrayOf("PartitionIndexes", Primitive.INT32);
  public static final Schema GROUP_TOPIC = Schema.of("OffsetFetchRequestTopics",
      GROUP_TOPIC_NAME, GROUP_PARTITION_INDEXES);

  public static final Field<String> GROUP_GROUP_ID = Field.string("GroupId");
  public static final Field<String> GROUP_MEMBER_ID =
      Field.string("MemberId").since(9).nullableSince(9).defaultsTo(null);
  public static final Field<Integer> GROUP_MEMBER_EPOCH =
      Field.int32("MemberEpoch").since(9).defaultsTo(-1);
  /** Null: every topic the group has committed offsets for. */
  public static final Field<List<Struct>> GROUP_TOPICS =
      Field.array("Topics", GROUP_TOPIC).nullableSince(8);
  public static final Schema GROUP = Schema.of("OffsetFetchRequestGroup",
      GROUP_GROUP_ID, GROUP_MEMBER_ID, GROUP_MEMBER_EPOCH, GROUP_TOPICS);
  public static final Field<List<Struct>> GROUPS = Field.array("Groups", GROUP).since(8);

  public static final Field<Boolean> REQUIRE_STABLE = Field.bool("RequireStable").since(7);

  public static final Schema SCHEMA = Schema.of("OffsetFetchRequest",
      GROUP_ID, TOPICS, GROUPS, REQUIRE_STABLE);

  private OffsetFetchRequest() {}
}
