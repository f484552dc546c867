package io.rill.broker.api;

import io.rill.broker.config.BrokerConfigDef;
import io.rill.broker.config.ConfigKey;
import io.rill.broker.config.EffectiveBrokerConfig;
import io.rill.metadata.config.BrokerDynamicConfigs;
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
 * <p>A broker key's value comes from the first level that sets it: this broker's dynamic value
 * (DYNAMIC_BROKER_CONFIG), the cluster-wide dynamic default (DYNAMIC_DEFAULT_BROKER_CONFIG),
 * the node's file (STATIC_BROKER_CONFIG), Kafka's default (DEFAULT_CONFIG). Its synonyms are
 * Kafka's: every level that sets a key of its family (log.retention.ms/minutes/hours,
 * log.roll.ms/hours), level by level, from the first one naming the key itself. Only the keys
 * of {@link BrokerDynamicConfigs} are writable.
 *
 * <p>A topic config's value is the topic's override (DYNAMIC_TOPIC_CONFIG), else the broker's
 * effective setting of its synonyms, e.g. {@code log.retention.hours} for {@code retention.ms},
 * with the source of the level that set it. Nothing here is sensitive (no passwords are
 * configured). Immutable; thread-safe.
 */
final class ConfigDescriptions {
  /** Kafka's families of broker keys for one setting, highest precedence first. */
  private static final List<List<String>> FAMILIES = List.of(
      List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
      List.of("log.roll.ms", "log.roll.hours"));

  /**
   * Broker keys that set a topic config's default, highest precedence first, where they are
   * not simply the topic config's server property: the ms/minutes/hours families (Kafka's
   * {@code LogConfig.TOPIC_CONFIG_SYNONYMS}).
   */
  private static final Map<String, List<String>> BROKER_SYNONYMS = Map.of(
      TopicConfigs.RETENTION_MS, FAMILIES.get(0),
      TopicConfigs.SEGMENT_MS, FAMILIES.get(1),
      "flush.ms", List.of("log.flush.interval.ms"));

  /** One synonym: a key that can supply the value, its value and its source. */
  record Synonym(String name, String value, ConfigSource source) {}

  /** One described config; {@code value} is null when unset and without a default. */
  record Description(String name, String value, ConfigSource source, boolean readOnly,
      boolean sensitive, ConfigType type, String documentation, List<Synonym> synonyms) {}

  private final EffectiveBrokerConfig broker;

  ConfigDescriptions(EffectiveBrokerConfig broker) {
    this.broker = broker;
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
    synonyms.addAll(levelSynonyms(brokerKeys, true));
    if (brokerKeys.isEmpty()) {
      synonyms.add(new Synonym(def.name(), def.defaultValue(), ConfigSource.DEFAULT_CONFIG));
    }
    // The broker's effective value, converted to topic units (hours to ms) by the node.
    String value = override != null ? override
        : broker.topicDefaults().getOrDefault(def.name(), def.defaultValue());
    ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG
        : synonyms.get(0).source();
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
      out.add(brokerConfig(key, true));
    }
    return out;
  }

  /** The cluster-wide dynamic defaults (BROKER ""), as Kafka lists them: only those set. */
  List<Description> clusterDefaults() {
    List<Description> out = new ArrayList<>();
    for (ConfigKey key : BrokerConfigDef.DEF.keys().values()) {
      if (broker.clusterDefaults().containsKey(key.name())) {
        out.add(brokerConfig(key, false));
      }
    }
    return out;
  }

  /**
   * One broker key as this broker sees it ({@code perBroker}) or as the cluster default, which
   * leaves out this broker's own dynamic values, as Kafka does.
   */
  private Description brokerConfig(ConfigKey key, boolean perBroker) {
    List<String> family = FAMILIES.stream().filter(f -> f.contains(key.name())).findFirst()
        .orElse(List.of(key.name()));
    List<Synonym> synonyms = new ArrayList<>(levelSynonyms(family, perBroker));
    while (!synonyms.isEmpty() && !synonyms.get(0).name().equals(key.name())) {
      synonyms.remove(0);
    }
    String value = null;
    for (EffectiveBrokerConfig.Level level : broker.levels()) {
      if ((perBroker || level.source() != ConfigSource.DYNAMIC_BROKER_CONFIG)
          && level.values().containsKey(key.name())) {
        value = level.values().get(key.name());
        break;
      }
    }
    ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG
        : synonyms.get(0).source();
    return new Description(key.name(), value, source,
        !BrokerDynamicConfigs.isDynamic(key.name()), false, type(key.type()), key.doc(),
        synonyms);
  }

  /** Every level's setting of {@code keys}, level by level, keys in the given order. */
  private List<Synonym> levelSynonyms(List<String> keys, boolean withPerBroker) {
    List<Synonym> out = new ArrayList<>();
    for (EffectiveBrokerConfig.Level level : broker.levels()) {
      if (!withPerBroker && level.source() == ConfigSource.DYNAMIC_BROKER_CONFIG) {
        continue;
      }
      for (String k : keys) {
        String v = level.values().get(k);
        if (v != null) {
          out.add(new Synonym(k, v, level.source()));
        }
      }
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
}
