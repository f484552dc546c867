package io.rill.broker.api;

import io.rill.broker.config.EffectiveBrokerConfig;
import java.util.Map;

/**
 * This broker's effective configuration and a topic's, as handlers need them (implemented by
 * the node): the node's file with the metadata image's dynamic configs applied.
 */
public interface TopicConfigs {
  /** This broker's config with the dynamic broker configs applied. */
  EffectiveBrokerConfig broker();

  /** The broker's defaults under their topic-level names. */
  Map<String, String> brokerDefaults();

  /** The topic's own overrides. */
  Map<String, String> overrides(String topic);

  int minInsyncReplicas(String topic);
}
