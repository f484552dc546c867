package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeLogDirs response (key 35), v1-4: per log directory of the broker its error
 * (KAFKA_STORAGE_ERROR when offline), absolute path and the partitions it holds, each with its
 * size in bytes, its offset lag and whether it is a future replica (one AlterReplicaLogDirs is
 * moving there). v2 is flexible; v3 added the top-level ErrorCode; v4 the TotalBytes and
 * UsableBytes of the volume the directory is on (KIP-827; -1 when unknown). From v2 each
 * partition may carry Rill's own tagged fields about its compaction ({@code rill topics
 * describe} reads them); Kafka's clients skip them.
 */
public final class DescribeLogDirsResponse {
  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Long> PARTITION_SIZE = Field.int64("PartitionSize");
  /** The high watermark minus the log end (never below 0) for a current replica. */
  public static final Field<Long> OFFSET_LAG = Field.int64("OffsetLag");
  public static final Field<Boolean> IS_FUTURE_KEY = Field.bool("IsFutureKey");
  /**
   * Rill's extension: the replica's cleanable (dirty) ratio, for a log whose policy compacts;
   * -1 otherwise. Kafka shows it only as a JMX gauge.
   */
  public static final Field<Double> RILL_CLEANABLE_RATIO = Field.float64("RillCleanableRatio")
      .tagged(Field.RILL_TAGS_FROM, 2).defaultsTo(-1.0);
  /** Rill's extension: when the replica's last cleaning ended (epoch ms); -1 for none. */
  public static final Field<Long> RILL_LAST_CLEANING_MS = Field.int64("RillLastCleaningMs")
      .tagged(Field.RILL_TAGS_FROM + 1, 2).defaultsTo(-1L);
  /** Rill's extension: a cleaning of this replica failed and its log is no longer cleaned. */
  public static final Field<Boolean> RILL_UNCLEANABLE = Field.bool("RillUncleanable")
      .tagged(Field.RILL_TAGS_FROM + 2, 2);
  public static final Schema DESCRIBE_LOG_DIRS_PARTITION = Schema.of("DescribeLogDirsPartition",
      PARTITION_INDEX, PARTITION_SIZE, OFFSET_LAG, IS_FUTURE_KEY, RILL_CLEANABLE_RATIO,
      RILL_LAST_CLEANING_MS, RILL_UNCLEANABLE);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS =
      Field.array("Partitions", DESCRIBE_LOG_DIRS_PARTITION);
  public static final Schema DESCRIBE_LOG_DIRS_TOPIC = Schema.of("DescribeLogDirsTopic",
      TOPIC_NAME, PARTITIONS);

  public static final Field<Short> RESULT_ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> LOG_DIR = Field.string("LogDir");
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", DESCRIBE_LOG_DIRS_TOPIC);
  public static final Field<Long> TOTAL_BYTES = Field.int64("TotalBytes").since(4).defaultsTo(-1L);
  public static final Field<Long> USABLE_BYTES =
      Field.int64("UsableBytes").since(4).defaultsTo(-1L);
  public static final Schema DESCRIBE_LOG_DIRS_RESULT = Schema.of("DescribeLogDirsResult",
      RESULT_ERROR_CODE, LOG_DIR, TOPICS, TOTAL_BYTES, USABLE_BYTES);

  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode").since(3);
  public static final Field<List<Struct>> RESULTS =
      Field.array("Results", DESCRIBE_LOG_DIRS_RESULT);

  public static final Schema SCHEMA = Schema.of("DescribeLogDirsResponse",
      THROTTLE_TIME_MS, ERROR_CODE, RESULTS);

  private DescribeLogDirsResponse() {}
}
