package io.rill.broker.config;

import io.rill.metadata.config.BrokerDynamicConfigs;
import io.rill.metadata.config.ConfigSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker's configuration with the dynamic configs of the metadata image applied (KIP-226):
 * for each key, the per-broker value (BROKER "&lt;id&gt;") wins over the cluster-wide default
 * (BROKER ""), which wins over the node's file, which wins over Kafka's default.
 *
 * <p>As in Kafka, the levels are merged key by key and the result parsed as one config, so
 * derived values follow the usual rules on the merged keys: a {@code log.retention.ms} in the
 * node's file still beats a dynamic {@code log.retention.hours}, since ms beats hours.
 *
 * <p>A stored dynamic value that is not a dynamic key or does not parse (written by another
 * version) is left out with a warning rather than failing the broker. Immutable; thread-safe.
 */
public final class EffectiveBrokerConfig {
  private static final Logger log = LoggerFactory.getLogger(EffectiveBrokerConfig.class);

  private final BrokerConfig staticConfig;
  private final Map<String, String> clusterDefaults;
  private final Map<String, String> perBroker;
  private final BrokerConfig config;
  private final Map<String, String> topicDefaults;
  private final List<Level> levels;

  /** Kafka's default of every broker key that has one, as text. */
  private static final Map<String, String> KAFKA_DEFAULTS = kafkaDefaults();

  private EffectiveBrokerConfig(BrokerConfig staticConfig, Map<String, String> clusterDefaults,
      Map<String, String> perBroker) {
    this.staticConfig = staticConfig;
    this.clusterDefaults = clusterDefaults;
    this.perBroker = perBroker;
    Map<String, String> merged = new LinkedHashMap<>(staticConfig.explicitValues());
    merged.putAll(clusterDefaults);
    merged.putAll(perBroker);
    this.config = clusterDefaults.isEmpty() && perBroker.isEmpty() ? staticConfig
        : merge(staticConfig, merged);
    this.topicDefaults = TopicDefaults.of(config);
    this.levels = List.of(new Level(ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker),
        new Level(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, clusterDefaults),
        new Level(ConfigSource.STATIC_BROKER_CONFIG, staticConfig.explicitValues()),
        new Level(ConfigSource.DEFAULT_CONFIG, KAFKA_DEFAULTS));
  }

  private static Map<String, String> kafkaDefaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (ConfigKey k : BrokerConfigDef.DEF.keys().values()) {
      String d = format(k.defaultValue());
      if (d != null) {
        defaults.put(k.name(), d);
      }
    }
    return Map.copyOf(defaults);
  }

  /** The node's file alone (no dynamic configs set). */
  public static EffectiveBrokerConfig of(BrokerConfig staticConfig) {
    return new EffectiveBrokerConfig(staticConfig, Map.of(), Map.of());
  }

  /**
   * @param clusterDefaults the image's configs of BROKER ""
   * @param perBroker the image's configs of BROKER "&lt;this node's id&gt;"
   */
  public static EffectiveBrokerConfig of(BrokerConfig staticConfig,
      Map<String, String> clusterDefaults, Map<String, String> perBroker) {
    return new EffectiveBrokerConfig(staticConfig, usable(clusterDefaults, "cluster default"),
        usable(perBroker, "broker " + staticConfig.nodeId()));
  }

  private static BrokerConfig merge(BrokerConfig staticConfig, Map<String, String> merged) {
    try {
      return BrokerConfig.of(merged);
    } catch (ConfigException e) {
      // Each dynamic value parsed on its own; only a cross-key check can fail here.
      log.error("Dynamic broker configs make an invalid config, running with the node's file"
          + " alone: {}", e.getMessage());
      return staticConfig;
    }
  }

  private static Map<String, String> usable(Map<String, String> dynamic, String level) {
    Map<String, String> out = new LinkedHashMap<>();
    dynamic.forEach((key, value) -> {
      Optional<String> bad = BrokerDynamicConfigs.validate(key, value);
      ConfigKey def = BrokerConfigDef.DEF.keys().get(key);
      if (bad.isEmpty() && def != null && parses(def, value)) {
        out.put(key, value);
      } else {
        log.warn("Ignoring dynamic broker config {}={} ({}): {}", key, value, level,
            bad.orElse("this broker cannot parse it"));
      }
    });
    return Map.copyOf(out);
  }

  private static boolean parses(ConfigKey def, String value) {
    try {
      def.parse(value);
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  /** The merged, parsed config: what the broker runs with. */
  public BrokerConfig config() {
    return config;
  }

  public BrokerConfig staticConfig() {
    return staticConfig;
  }

  /** The usable cluster-wide dynamic defaults (BROKER ""). */
  public Map<String, String> clusterDefaults() {
    return clusterDefaults;
  }

  /** The usable dynamic values of this broker (BROKER "&lt;id&gt;"). */
  public Map<String, String> perBroker() {
    return perBroker;
  }

  /** The broker's effective settings under their topic-level names (Kafka's synonyms). */
  public Map<String, String> topicDefaults() {
    return topicDefaults;
  }

  /** A key's value at each level where it is set, highest precedence first. */
  public record Level(ConfigSource source, Map<String, String> values) {}

  /**
   * The levels a broker key's value can come from, highest first: per-broker, cluster-wide
   * default, the node's file, Kafka's default (keys without a default are absent there).
   */
  public List<Level> levels() {
    return levels;
  }

  /** A parsed default as Kafka writes it: lists comma-separated, no default as null. */
  public static String format(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
