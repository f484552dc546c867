package io.rill.broker.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker config's settings under the topic-level names they are the defaults of (Kafka's
 * synonyms, e.g. {@code log.retention.hours} as {@code retention.ms}, converted to the topic
 * config's unit). Stateless.
 */
public final class TopicDefaults {
  private TopicDefaults() {}

  public static Map<String, String> of(BrokerConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("segment.bytes", String.valueOf(c.getInt("log.segment.bytes")));
    m.put("segment.ms", String.valueOf(c.logRollMs()));
    m.put("segment.index.bytes", String.valueOf(c.getInt("log.index.size.max.bytes")));
    m.put("index.interval.bytes", String.valueOf(c.getInt("log.index.interval.bytes")));
    m.put("retention.ms", String.valueOf(c.logRetentionMs()));
    m.put("retention.bytes", String.valueOf(c.getLong("log.retention.bytes")));
    m.put("flush.messages", String.valueOf(c.getLong("log.flush.interval.messages")));
    m.put("flush.ms", String.valueOf(c.logFlushIntervalMs()));
    m.put("message.timestamp.type", c.getString("log.message.timestamp.type"));
    m.put("max.message.bytes", String.valueOf(c.getInt("message.max.bytes")));
    m.put("min.insync.replicas", String.valueOf(c.getInt("min.insync.replicas")));
    m.put("compression.type", c.getString("compression.type"));
    m.put("cleanup.policy", String.join(",", c.getList("log.cleanup.policy")));
    m.put("delete.retention.ms", String.valueOf(c.getLong("log.cleaner.delete.retention.ms")));
    m.put("min.cleanable.dirty.ratio",
        String.valueOf(c.get("log.cleaner.min.cleanable.ratio")));
    m.put("min.compaction.lag.ms", String.valueOf(c.getLong("log.cleaner.min.compaction.lag.ms")));
    m.put("max.compaction.lag.ms", String.valueOf(c.getLong("log.cleaner.max.compaction.lag.ms")));
    m.put("unclean.leader.election.enable",
        String.valueOf(c.getBoolean("unclean.leader.election.enable")));
    return Map.copyOf(m);
  }
}
