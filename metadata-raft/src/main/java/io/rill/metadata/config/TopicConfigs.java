package io.rill.metadata.config;

import static io.rill.metadata.config.ConfigValidator.ANY;
import static io.rill.metadata.config.ConfigValidator.atLeast;
import static io.rill.metadata.config.ConfigValidator.between;
import static io.rill.metadata.config.ConfigValidator.betweenDouble;
import static io.rill.metadata.config.ConfigValidator.listOf;
import static io.rill.metadata.config.ConfigValidator.minusOneOrBetween;
import static io.rill.metadata.config.ConfigValidator.oneOf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every topic-level config Rill knows, with Kafka's names, types, defaults (Kafka 4.x) and
 * validation. The controller validates CreateTopics and AlterConfigs against it; the broker
 * answers DescribeConfigs from {@link #describe} and reads effective values with
 * {@link #effective}.
 */
public final class TopicConfigs {
  public static final String CLEANUP_POLICY = "cleanup.policy";
  public static final String COMPRESSION_TYPE = "compression.type";
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
  public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String RETENTION_MS = "retention.ms";
  public static final String SEGMENT_BYTES = "segment.bytes";
  public static final String SEGMENT_MS = "segment.ms";
  public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

  private static final Map<String, ConfigDef> DEFS = build();

  private TopicConfigs() {}

  private static Map<String, ConfigDef> build() {
    List<ConfigDef> defs = List.of(
        def(CLEANUP_POLICY, ConfigType.LIST, "delete", listOf("compact", "delete"),
            "log.cleanup.policy", "The retention policy of log segments: delete, compact or both."),
        def(COMPRESSION_TYPE, ConfigType.STRING, "producer",
            oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
            "compression.type", "The final compression of the topic's data; 'producer' keeps"
                + " the producer's codec."),
        def("compression.gzip.level", ConfigType.INT, "-1", minusOneOrBetween(1, 9),
            "compression.gzip.level", "The gzip level when compression.type is gzip."),
        def("compression.lz4.level", ConfigType.INT, "9", between(1, 17),
            "compression.lz4.level", "The lz4 level when compression.type is lz4."),
        def("compression.zstd.level", ConfigType.INT, "3", between(-131_072, 22),
            "compression.zstd.level", "The zstd level when compression.type is zstd."),
        def("delete.retention.ms", ConfigType.LONG, "86400000", atLeast(0),
            "log.cleaner.delete.retention.ms", "How long delete tombstones are kept on"
                + " compacted topics."),
        def("file.delete.delay.ms", ConfigType.LONG, "60000", atLeast(0),
            "log.segment.delete.delay.ms", "How long to wait before deleting a file from disk."),
        def("flush.messages", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1),
            "log.flush.interval.messages", "Force an fsync after this many messages."),
        def("flush.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(0),
            "log.flush.interval.ms", "Force an fsync after this much time."),
        def("follower.replication.throttled.replicas", ConfigType.LIST, "", ANY,
            "follower.replication.throttled.replicas", "Replicas throttled on the follower side."),
        def("index.interval.bytes", ConfigType.INT, "4096", atLeast(0),
            "log.index.interval.bytes", "How often an offset index entry is added."),
        def("leader.replication.throttled.replicas", ConfigType.LIST, "", ANY,
            "leader.replication.throttled.replicas", "Replicas throttled on the leader side."),
        def("local.retention.bytes", ConfigType.LONG, "-2", atLeast(-2),
            "log.local.retention.bytes", "Local retention with tiered storage (-2: use"
                + " retention.bytes)."),
        def("local.retention.ms", ConfigType.LONG, "-2", atLeast(-2),
            "log.local.retention.ms", "Local retention with tiered storage (-2: use"
                + " retention.ms)."),
        def("max.compaction.lag.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), atLeast(1),
            "log.cleaner.max.compaction.lag.ms", "The longest a message stays uncompacted."),
        def(MAX_MESSAGE_BYTES, ConfigType.INT, "1048588", atLeast(0),
            "message.max.bytes", "The largest record batch size allowed."),
        def("message.timestamp.after.max.ms", ConfigType.LONG, "3600000", atLeast(0),
            "log.message.timestamp.after.max.ms", "How far in the future a CreateTime"
                + " timestamp may be."),
        def("message.timestamp.before.max.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE),
            atLeast(0), "log.message.timestamp.before.max.ms", "How far in the past a"
                + " CreateTime timestamp may be."),
        def(MESSAGE_TIMESTAMP_TYPE, ConfigType.STRING, "CreateTime",
            oneOf("CreateTime", "LogAppendTime"), "log.message.timestamp.type",
            "Whether record timestamps are the producer's or the append time."),
        def("min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", betweenDouble(0, 1),
            "log.cleaner.min.cleanable.ratio", "How dirty a log must be to be compacted."),
        def("min.compaction.lag.ms", ConfigType.LONG, "0", atLeast(0),
            "log.cleaner.min.compaction.lag.ms", "The shortest a message stays uncompacted."),
        def(MIN_INSYNC_REPLICAS, ConfigType.INT, "1", atLeast(1),
            "min.insync.replicas", "The fewest in-sync replicas that acks=all needs."),
        def("preallocate", ConfigType.BOOLEAN, "false", ANY,
            "log.preallocate", "Preallocate the file when creating a segment."),
        def("remote.storage.enable", ConfigType.BOOLEAN, "false",
            v -> Boolean.TRUE.equals(v) ? Optional.of("Tiered storage is not supported")
                : Optional.empty(),
            "", "Tiered storage for the topic (not supported by Rill; must stay false)."),
        def(RETENTION_BYTES, ConfigType.LONG, "-1", ANY,
            "log.retention.bytes", "The most bytes a partition keeps before deleting old"
                + " segments (-1: no limit)."),
        def(RETENTION_MS, ConfigType.LONG, "604800000", atLeast(-1),
            "log.retention.ms", "How long a segment is kept (-1: no limit)."),
        def(SEGMENT_BYTES, ConfigType.INT, "1073741824", atLeast(1_048_576),
            "log.segment.bytes", "The size of a log segment file."),
        def("segment.index.bytes", ConfigType.INT, "10485760", atLeast(4),
            "log.index.size.max.bytes", "The size of the offset index per segment."),
        def("segment.jitter.ms", ConfigType.LONG, "0", atLeast(0),
            "log.roll.jitter.ms", "Random jitter subtracted from segment.ms."),
        def(SEGMENT_MS, ConfigType.LONG, "604800000", atLeast(1),
            "log.roll.ms", "Roll a new segment after this long even if not full."),
        def(UNCLEAN_LEADER_ELECTION_ENABLE, ConfigType.BOOLEAN, "false", ANY,
            "unclean.leader.election.enable", "Elect an out-of-sync replica as leader as a"
                + " last resort, losing data."));
    Map<String, ConfigDef> byName = new TreeMap<>();
    for (ConfigDef d : defs) {
      byName.put(d.name(), d);
    }
    return Collections.unmodifiableMap(byName);
  }

  private static ConfigDef def(String name, ConfigType type, String defaultValue,
      ConfigValidator validator, String serverProperty, String doc) {
    return new ConfigDef(name, type, defaultValue, validator, doc,
        serverProperty.isEmpty() ? Optional.empty() : Optional.of(serverProperty));
  }

  /** Every definition, by name (sorted). */
  public static Map<String, ConfigDef> all() {
    return DEFS;
  }

  public static Optional<ConfigDef> find(String name) {
    return Optional.ofNullable(DEFS.get(name));
  }

  /** Why {@code name=value} is not a valid topic config, or empty when it is. */
  public static Optional<String> validate(String name, String value) {
    ConfigDef def = DEFS.get(name);
    if (def == null) {
      return Optional.of("Unknown topic config name: " + name);
    }
    return def.validate(value);
  }

  /** One config as DescribeConfigs reports it. */
  public record Entry(ConfigDef def, String value, ConfigSource source) {}

  /**
   * Every topic config of one topic with its effective value and source: the topic's own
   * override, else the broker's default for that topic config (keyed by topic config name,
   * already converted by the broker, e.g. log.retention.hours to retention.ms), else Kafka's
   * default.
   */
  public static List<Entry> describe(Map<String, String> topicOverrides,
      Map<String, String> brokerDefaults) {
    List<Entry> out = new ArrayList<>();
    for (ConfigDef def : DEFS.values()) {
      String override = topicOverrides.get(def.name());
      String brokerDefault = brokerDefaults.get(def.name());
      if (override != null) {
        out.add(new Entry(def, override, ConfigSource.DYNAMIC_TOPIC_CONFIG));
      } else if (brokerDefault != null) {
        out.add(new Entry(def, brokerDefault, ConfigSource.STATIC_BROKER_CONFIG));
      } else {
        out.add(new Entry(def, def.defaultValue(), ConfigSource.DEFAULT_CONFIG));
      }
    }
    return out;
  }

  /** The effective value of one known config for a topic with these overrides. */
  public static String effective(String name, Map<String, String> topicOverrides,
      Map<String, String> brokerDefaults) {
    ConfigDef def = DEFS.get(name);
    if (def == null) {
      throw new IllegalArgumentException("unknown topic config " + name);
    }
    String v = topicOverrides.get(name);
    if (v == null) {
      v = brokerDefaults.getOrDefault(name, def.defaultValue());
    }
    return v;
  }
}
