package io.rill.broker.server;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.log.LogConfig;
import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A topic's effective log config: Kafka's topic defaults, overridden by this broker's log.*
 * settings (their topic-level names), overridden by the topic's own configs in the metadata
 * image — so a topic config change applies without a restart.
 */
public final class TopicConfigResolver implements io.rill.broker.api.TopicConfigs {
  private final Map<String, String> brokerDefaults;
  private final MetadataCache metadata;

  public TopicConfigResolver(BrokerConfig config, MetadataCache metadata) {
    this.brokerDefaults = topicDefaults(config);
    this.metadata = metadata;
  }

  /** The broker's settings under their topic-level names (Kafka's synonyms). */
  public static Map<String, String> topicDefaults(BrokerConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(LogConfig.SEGMENT_BYTES, String.valueOf(c.getInt("log.segment.bytes")));
    m.put(LogConfig.SEGMENT_MS, String.valueOf(c.logRollMs()));
    m.put(LogConfig.SEGMENT_INDEX_BYTES, String.valueOf(c.getInt("log.index.size.max.bytes")));
    m.put(LogConfig.INDEX_INTERVAL_BYTES, String.valueOf(c.getInt("log.index.interval.bytes")));
    m.put(LogConfig.RETENTION_MS, String.valueOf(c.logRetentionMs()));
    m.put(LogConfig.RETENTION_BYTES, String.valueOf(c.getLong("log.retention.bytes")));
    m.put(LogConfig.FLUSH_MESSAGES, String.valueOf(c.getLong("log.flush.interval.messages")));
    m.put(LogConfig.FLUSH_MS, String.valueOf(c.logFlushIntervalMs()));
    m.put(LogConfig.MESSAGE_TIMESTAMP_TYPE, c.getString("log.message.timestamp.type"));
    m.put(LogConfig.MAX_MESSAGE_BYTES, String.valueOf(c.getInt("message.max.bytes")));
    m.put("min.insync.replicas", String.valueOf(c.getInt("min.insync.replicas")));
    m.put("compression.type", c.getString("compression.type"));
    m.put("cleanup.policy", String.join(",", c.getList("log.cleanup.policy")));
    m.put("unclean.leader.election.enable",
        String.valueOf(c.getBoolean("unclean.leader.election.enable")));
    return Map.copyOf(m);
  }

  @Override
  public Map<String, String> brokerDefaults() {
    return brokerDefaults;
  }

  /** The topic's overrides only, as stored in the metadata image. */
  @Override
  public Map<String, String> overrides(String topic) {
    return metadata.image().configs(ConfigResource.topic(topic));
  }

  public LogConfig logConfig(String topic) {
    return logConfig(topic, metadata.image());
  }

  /** The topic's config as of {@code image} (the publisher applies a new image's configs). */
  public LogConfig logConfig(String topic, MetadataImage image) {
    return LogConfig.of(brokerDefaults).with(image.configs(ConfigResource.topic(topic)));
  }

  /** min.insync.replicas of a topic (its override, else the broker's). */
  @Override
  public int minInsyncReplicas(String topic) {
    String v = overrides(topic).get("min.insync.replicas");
    return Integer.parseInt(v != null ? v : brokerDefaults.get("min.insync.replicas"));
  }
}
