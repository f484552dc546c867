package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * DescribeLogDirs request (key 35, KIP-113), v1-4 as Kafka 4.1 serves it (v0, the same bytes as
 * v1, went with KIP-896); flexible from v2. v3 and v4 changed only the response. Topics names
 * the partitions to describe; null asks for every partition the broker holds, which is what
 * {@code Admin.describeLogDirs} and {@code kafka-log-dirs --describe} without a topic list send.
 */
public final class DescribeLogDirsRequest {
  public static final Field<String> TOPIC = Field.string("Topic");
  public static final Field<List<Integer>> PARTITIONS =
      Field.arrayOf("Partitions", Primitive.INT32);
  public static final Schema DESCRIBABLE_LOG_DIR_TOPIC = Schema.of("DescribableLogDirTopic",
      TOPIC, PARTITIONS);

  /** Null: every partition of every topic. */
  public static final Field<List<Struct>> TOPICS =
      Field.array("Topics", DESCRIBABLE_LOG_DIR_TOPIC).nullableSince(0);

  public static final Schema SCHEMA = Schema.of("DescribeLogDirsRequest", TOPICS);

  private DescribeLogDirsRequest() {}
}
