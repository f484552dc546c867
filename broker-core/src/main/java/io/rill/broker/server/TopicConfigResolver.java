package io.rill.broker.server;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.DynamicBrokerConfig;
import io.rill.broker.config.EffectiveBrokerConfig;
import io.rill.broker.log.LogConfig;
import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import java.util.Map;

/**
 * A topic's effective log config: Kafka's topic defaults, overridden by this broker's log.*
 * settings (their topic-level names) — the node's file, then the cluster-wide and per-broker
 * dynamic configs of the metadata image — overridden by the topic's own configs in the image.
 * Every layer but the file is read from the image, so a change applies without a restart.
 * Thread-safe.
 */
public final class TopicConfigResolver implements io.rill.broker.api.TopicConfigs {
  private final DynamicBrokerConfig broker;
  private final MetadataCache metadata;

  public TopicConfigResolver(BrokerConfig config, MetadataCache metadata) {
    this.broker = new DynamicBrokerConfig(config);
    this.metadata = metadata;
  }

  /** This broker's config as of the published image. */
  @Override
  public EffectiveBrokerConfig broker() {
    return broker.at(metadata.image());
  }

  /** This broker's config as of {@code image} (one not published yet, on the loader thread). */
  EffectiveBrokerConfig brokerAt(MetadataImage image) {
    return broker.at(image);
  }

  /** Whether a change of {@code resource}'s configs changes this broker's topic defaults. */
  boolean dependsOn(ConfigResource resource) {
    return broker.dependsOn(resource);
  }

  @Override
  public Map<String, String> brokerDefaults() {
    return broker().topicDefaults();
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
    return LogConfig.of(broker.at(image).topicDefaults())
        .with(image.configs(ConfigResource.topic(topic)));
  }

  /** min.insync.replicas of a topic (its override, else the broker's effective one). */
  @Override
  public int minInsyncReplicas(String topic) {
    MetadataImage image = metadata.image();
    String v = image.configs(ConfigResource.topic(topic)).get("min.insync.replicas");
    return Integer.parseInt(v != null ? v
        : broker.at(image).topicDefaults().get("min.insync.replicas"));
  }
}
