package io.rill.broker.api;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.BrokerConfigDef;
import io.rill.broker.config.ConfigKey;
import io.rill.metadata.config.ConfigDef;
import io.rill.metadata.config.ConfigSource;
import io.rill.metadata.config.ConfigType;
import io.rill.metadata.config.TopicConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Topic and broker configs as DescribeConfigs and CreateTopics (v5+) report them: every key
 * with its effective value, where that value came from, and its synonyms in precedence order
 * (KIP-226).
 *
 * <p>A topic config's value is the topic's override (DYNAMIC_TOPIC_CONFIG), else the broker's
 * setting of a synonym — STATIC_BROKER_CONFIG when the node's file or overrides set it, e.g.
 * {@code log.retention.hours} for {@code retention.ms} — else the default (DEFAULT_CONFIG).
 * Rill has no dynamic broker configs, so every broker config is read-only and static or
 * default. Nothing here is sensitive (no passwords are configured). Stateless; thread-safe.
 */
final class ConfigDescriptions {
  /**
   * Broker keys that set a topic config's default, highest precedence first, where they are
   * not simply the topic config's server property: the ms/minutes/hours families (Kafka's
   * {@code LogConfig.TOPIC_CONFIG_SYNONYMS}).
   */
  private static final Map<String, List<String>> BROKER_SYNONYMS = Map.of(
      TopicConfigs.RETENTION_MS,
      List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
      TopicConfigs.SEGMENT_MS, List.of("log.roll.ms", "log.roll.hours"),
      "flush.ms", List.of("log.flush.interval.ms"));

  /** One synonym: a key that can supply the value, its value and its source. */
  record Synonym(String name, String value, ConfigSource source) {}

  /** One described config; {@code value} is null when unset and without a default. */
  record Description(String name, String value, ConfigSource source, boolean readOnly,
      boolean sensitive, ConfigType type, String documentation, List<Synonym> synonyms) {}

  private final BrokerConfig config;
  private final Map<String, String> brokerTopicDefaults;

  /**
   * @param brokerTopicDefaults the broker's settings under their topic-level names (see
   *     {@link io.rill.broker.api.TopicConfigs#brokerDefaults})
   */
  ConfigDescriptions(BrokerConfig config, Map<String, String> brokerTopicDefaults) {
    this.config = config;
    this.brokerTopicDefaults = brokerTopicDefaults;
  }

  /** Every topic config (sorted by name) for a topic with these overrides. */
  List<Description> topic(Map<String, String> overrides) {
    List<Description> out = new ArrayList<>();
    for (ConfigDef def : TopicConfigs.all().values()) {
      out.add(topicConfig(def, overrides));
    }
    return out;
  }

  private Description topicConfig(ConfigDef def, Map<String, String> overrides) {
    List<Synonym> synonyms = new ArrayList<>();
    String override = overrides.get(def.name());
    if (override != null) {
      synonyms.add(new Synonym(def.name(), override, ConfigSource.DYNAMIC_TOPIC_CONFIG));
    }
    List<String> brokerKeys = brokerSynonyms(def);
    for (String key : brokerKeys) {
      String explicit = config.explicitValues().get(key);
      if (explicit != null) {
        synonyms.add(new Synonym(key, explicit, ConfigSource.STATIC_BROKER_CONFIG));
      }
    }
    for (String key : brokerKeys) {
      String dflt = format(BrokerConfigDef.DEF.keys().get(key).defaultValue());
      if (dflt != null && !config.explicitValues().containsKey(key)) {
        synonyms.add(new Synonym(key, dflt, ConfigSource.DEFAULT_CONFIG));
      }
    }
    if (brokerKeys.isEmpty()) {
      synonyms.add(new Synonym(def.name(), def.defaultValue(), ConfigSource.DEFAULT_CONFIG));
    }
    String value;
    ConfigSource source;
    if (override != null) {
      value = override;
      source = ConfigSource.DYNAMIC_TOPIC_CONFIG;
    } else {
      // The broker's effective value, converted to topic units (hours to ms) by the node.
      value = brokerTopicDefaults.getOrDefault(def.name(), def.defaultValue());
      source = brokerKeys.stream().anyMatch(config.explicitValues()::containsKey)
          ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
    }
    return new Description(def.name(), value, source, false, false, def.type(), def.doc(),
        synonyms);
  }

  /** The broker keys this node knows that supply the topic config's default. */
  static List<String> brokerSynonyms(ConfigDef def) {
    List<String> keys = BROKER_SYNONYMS.get(def.name());
    if (keys == null) {
      keys = def.serverDefaultProperty().map(List::of).orElse(List.of());
    }
    return keys.stream().filter(BrokerConfigDef.DEF.keys()::containsKey).toList();
  }

  /** Every broker config of this node, in definition order. */
  List<Description> broker() {
    List<Description> out = new ArrayList<>();
    for (ConfigKey key : BrokerConfigDef.DEF.keys().values()) {
      String explicit = config.explicitValues().get(key.name());
      String value = explicit != null ? explicit : format(key.defaultValue());
      ConfigSource source = explicit != null ? ConfigSource.STATIC_BROKER_CONFIG
          : ConfigSource.DEFAULT_CONFIG;
      List<Synonym> synonyms = value == null ? List.of()
          : List.of(new Synonym(key.name(), value, source));
      out.add(new Description(key.name(), value, source, true, false, type(key.type()),
          key.doc(), synonyms));
    }
    return out;
  }

  private static ConfigType type(ConfigKey.Type t) {
    return switch (t) {
      case INT -> ConfigType.INT;
      case LONG -> ConfigType.LONG;
      case BOOLEAN -> ConfigType.BOOLEAN;
      case STRING -> ConfigType.STRING;
      case LIST -> ConfigType.LIST;
      case DOUBLE -> ConfigType.DOUBLE;
    };
  }

  /** A parsed default as Kafka writes it: lists comma-separated, no default as null. */
  private static String format(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
