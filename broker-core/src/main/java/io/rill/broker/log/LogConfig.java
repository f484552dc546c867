package io.rill.broker.log;

import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.TimestampType;
import io.rill.protocol.util.Checks;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-topic settings of a partition log, under Kafka's topic-config names and with Kafka's
 * defaults. Built from a map of overrides layered on a base (broker defaults, then topic
 * overrides), so a topic-config change is applied live by building a new value and handing it
 * to {@link PartitionLog#updateConfig}. Keys this class does not own (min.insync.replicas, ...)
 * are ignored: other layers read them. {@code cleanup.policy} decides whether retention deletes
 * ({@code delete}) and whether the {@link LogCleaner} compacts ({@code compact}); the cleaner
 * reads the four compaction settings.
 *
 * <p>Invariants (checked at construction): positive sizes; an index holds at least one entry;
 * {@code -1} means "unlimited" for retention; flush thresholds are positive.
 */
public record LogConfig(
    int segmentBytes,
    long segmentMs,
    int segmentIndexBytes,
    int indexIntervalBytes,
    long retentionMs,
    long retentionBytes,
    long flushMessages,
    long flushMs,
    long fileDeleteDelayMs,
    TimestampType messageTimestampType,
    long messageTimestampBeforeMaxMs,
    long messageTimestampAfterMaxMs,
    int maxMessageBytes,
    CleanupPolicy cleanupPolicy,
    long deleteRetentionMs,
    double minCleanableDirtyRatio,
    long minCompactionLagMs,
    long maxCompactionLagMs) {

  /**
   * Kafka's cleanup.policy: whether the list names {@code delete}, {@code compact}, both or
   * neither. Only a policy with {@code delete} lets retention delete data; only one with {@code
   * compact} lets the cleaner compact.
   */
  public enum CleanupPolicy {
    DELETE, COMPACT, COMPACT_DELETE, NONE;

    /** Whether retention may delete data of a topic with this policy. */
    public boolean deletes() {
      return this == DELETE || this == COMPACT_DELETE;
    }

    /** Whether the log cleaner compacts a topic with this policy. */
    public boolean compacts() {
      return this == COMPACT || this == COMPACT_DELETE;
    }

    static CleanupPolicy parse(String value) {
      java.util.List<String> parts = java.util.Arrays.stream(value.split(","))
          .map(String::trim).toList();
      boolean delete = parts.contains("delete");
      boolean compact = parts.contains("compact");
      return delete ? (compact ? COMPACT_DELETE : DELETE) : (compact ? COMPACT : NONE);
    }
  }

  public static final String SEGMENT_BYTES = "segment.bytes";
  public static final String SEGMENT_MS = "segment.ms";
  public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
  public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
  public static final String RETENTION_MS = "retention.ms";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String FLUSH_MESSAGES = "flush.messages";
  public static final String FLUSH_MS = "flush.ms";
  public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
  public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
  public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
  public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  public static final String CLEANUP_POLICY = "cleanup.policy";
  public static final String DELETE_RETENTION_MS = "delete.retention.ms";
  public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
  public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
  public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";

  /** Kafka's defaults (4.x): 1 GiB / 7 day segments, 10 MiB indexes, 7 day retention. */
  public static final LogConfig DEFAULT =
      new LogConfig(
          1 << 30,
          7 * 24 * 3600 * 1000L,
          10 * 1024 * 1024,
          4096,
          7 * 24 * 3600 * 1000L,
          -1L,
          Long.MAX_VALUE,
          Long.MAX_VALUE,
          60_000L,
          TimestampType.CREATE_TIME,
          Long.MAX_VALUE,
          3600 * 1000L,
          1024 * 1024 + RecordBatch.LOG_OVERHEAD,
          CleanupPolicy.DELETE,
          24 * 3600 * 1000L,
          0.5,
          0L,
          Long.MAX_VALUE);

  /** The smallest index that holds one entry of either index (a time-index entry: 12 bytes). */
  public static final int SEGMENT_INDEX_BYTES_MIN = TimeIndex.ENTRY_SIZE;

  public LogConfig {
    // Kafka 4 asks for >= 1 MiB segments; we accept anything that holds one batch header so
    // tests can roll often.
    Checks.argument(segmentBytes >= RecordBatch.RECORD_BATCH_OVERHEAD, "%s=%s is below %s",
        SEGMENT_BYTES, segmentBytes, RecordBatch.RECORD_BATCH_OVERHEAD);
    Checks.argument(segmentMs > 0, "%s=%s must be positive", SEGMENT_MS, segmentMs);
    Checks.argument(segmentIndexBytes >= SEGMENT_INDEX_BYTES_MIN, "%s=%s is below %s",
        SEGMENT_INDEX_BYTES, segmentIndexBytes, SEGMENT_INDEX_BYTES_MIN);
    Checks.argument(indexIntervalBytes >= 0, "%s=%s is negative", INDEX_INTERVAL_BYTES,
        indexIntervalBytes);
    Checks.argument(retentionMs >= -1, "%s=%s is below -1", RETENTION_MS, retentionMs);
    Checks.argument(retentionBytes >= -1, "%s=%s is below -1", RETENTION_BYTES, retentionBytes);
    Checks.argument(flushMessages > 0, "%s=%s must be positive", FLUSH_MESSAGES, flushMessages);
    Checks.argument(flushMs >= 0, "%s=%s is negative", FLUSH_MS, flushMs);
    Checks.argument(fileDeleteDelayMs >= 0, "%s=%s is negative", FILE_DELETE_DELAY_MS,
        fileDeleteDelayMs);
    Checks.argument(messageTimestampType != null, "%s is null", MESSAGE_TIMESTAMP_TYPE);
    Checks.argument(messageTimestampBeforeMaxMs >= 0, "%s is negative",
        MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    Checks.argument(messageTimestampAfterMaxMs >= 0, "%s is negative",
        MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    Checks.argument(maxMessageBytes > 0, "%s=%s must be positive", MAX_MESSAGE_BYTES,
        maxMessageBytes);
    Checks.argument(cleanupPolicy != null, "%s is null", CLEANUP_POLICY);
    Checks.argument(deleteRetentionMs >= 0, "%s=%s is negative", DELETE_RETENTION_MS,
        deleteRetentionMs);
    Checks.argument(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1,
        "%s=%s is not within [0, 1]", MIN_CLEANABLE_DIRTY_RATIO, minCleanableDirtyRatio);
    Checks.argument(minCompactionLagMs >= 0, "%s=%s is negative", MIN_COMPACTION_LAG_MS,
        minCompactionLagMs);
    Checks.argument(maxCompactionLagMs >= 1, "%s=%s is below 1", MAX_COMPACTION_LAG_MS,
        maxCompactionLagMs);
  }

  /** Kafka's defaults with {@code overrides} applied. */
  public static LogConfig of(Map<String, String> overrides) {
    return DEFAULT.with(overrides);
  }

  /**
   * This config with {@code overrides} applied; values are parsed as Kafka does (decimal
   * numbers, "CreateTime"/"LogAppendTime").
   *
   * @throws IllegalArgumentException naming the key whose value does not parse or is out of range
   */
  public LogConfig with(Map<String, String> overrides) {
    return new LogConfig(
        (int) get(overrides, SEGMENT_BYTES, segmentBytes, Integer::parseInt),
        get(overrides, SEGMENT_MS, segmentMs, Long::parseLong),
        (int) get(overrides, SEGMENT_INDEX_BYTES, segmentIndexBytes, Integer::parseInt),
        (int) get(overrides, INDEX_INTERVAL_BYTES, indexIntervalBytes, Integer::parseInt),
        get(overrides, RETENTION_MS, retentionMs, Long::parseLong),
        get(overrides, RETENTION_BYTES, retentionBytes, Long::parseLong),
        get(overrides, FLUSH_MESSAGES, flushMessages, Long::parseLong),
        get(overrides, FLUSH_MS, flushMs, Long::parseLong),
        get(overrides, FILE_DELETE_DELAY_MS, fileDeleteDelayMs, Long::parseLong),
        timestampType(overrides.getOrDefault(MESSAGE_TIMESTAMP_TYPE, null)),
        get(overrides, MESSAGE_TIMESTAMP_BEFORE_MAX_MS, messageTimestampBeforeMaxMs,
            Long::parseLong),
        get(overrides, MESSAGE_TIMESTAMP_AFTER_MAX_MS, messageTimestampAfterMaxMs,
            Long::parseLong),
        (int) get(overrides, MAX_MESSAGE_BYTES, maxMessageBytes, Integer::parseInt),
        overrides.containsKey(CLEANUP_POLICY) ? CleanupPolicy.parse(overrides.get(CLEANUP_POLICY))
            : cleanupPolicy,
        get(overrides, DELETE_RETENTION_MS, deleteRetentionMs, Long::parseLong),
        ratio(overrides.get(MIN_CLEANABLE_DIRTY_RATIO)),
        get(overrides, MIN_COMPACTION_LAG_MS, minCompactionLagMs, Long::parseLong),
        get(overrides, MAX_COMPACTION_LAG_MS, maxCompactionLagMs, Long::parseLong));
  }

  private double ratio(String value) {
    if (value == null) {
      return minCleanableDirtyRatio;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MIN_CLEANABLE_DIRTY_RATIO + "=" + value
          + " is not a number", e);
    }
  }

  /**
   * How old a segment may grow before it rolls: {@code segment.ms}, or for a compacted topic
   * {@code max.compaction.lag.ms} if shorter, since the cleaner never touches the active segment
   * (Kafka rolls by the smaller of the two as well).
   */
  public long rollMs() {
    return cleanupPolicy.compacts() ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
  }

  private TimestampType timestampType(String value) {
    if (value == null) {
      return messageTimestampType;
    }
    switch (value) {
      case "CreateTime":
        return TimestampType.CREATE_TIME;
      case "LogAppendTime":
        return TimestampType.LOG_APPEND_TIME;
      default:
        throw new IllegalArgumentException(
            MESSAGE_TIMESTAMP_TYPE + "=" + value + " is neither CreateTime nor LogAppendTime");
    }
  }

  private static long get(
      Map<String, String> overrides, String key, long current, Function<String, Number> parse) {
    String value = overrides.get(key);
    if (value == null) {
      return current;
    }
    try {
      return parse.apply(value.trim()).longValue();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + value + " is not a number", e);
    }
  }

  /** Maximum entries of an offset index file, {@code segment.index.bytes / 8}. */
  public int offsetIndexEntriesMax() {
    return segmentIndexBytes / OffsetIndex.ENTRY_SIZE;
  }

  /** Maximum entries of a time index file, {@code segment.index.bytes / 12}. */
  public int timeIndexEntriesMax() {
    return segmentIndexBytes / TimeIndex.ENTRY_SIZE;
  }
}
