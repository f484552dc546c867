package io.rill.broker.api;

import java.util.Map;

/** A topic's effective configuration as handlers need it (implemented by the node). */
public interface TopicConfigs {
  /** The broker's defaults under their topic-level names. */
  Map<String, String> brokerDefaults();

  /** The topic's own overrides. */
  Map<String, String> overrides(String topic);

  int minInsyncReplicas(String topic);
}
