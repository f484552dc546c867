package io.rill.broker.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A set of configuration keys and the parsing of a text map against them: known keys are parsed
 * and validated (an invalid value is a {@link ConfigException} naming the key), missing ones
 * take their default, unknown ones are reported so the caller can warn. Immutable after
 * building; thread-safe.
 */
public final class ConfigDef {
  private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

  public ConfigDef define(String name, ConfigKey.Type type, Object defaultValue, String doc) {
    return define(name, type, defaultValue, ConfigKey.any(), "any value", doc);
  }

  public ConfigDef define(
      String name, ConfigKey.Type type, Object defaultValue, Predicate<Object> validator,
      String rule, String doc) {
    if (keys.putIfAbsent(name, new ConfigKey(name, type, defaultValue, validator, rule, doc))
        != null) {
      throw new IllegalStateException("duplicate config key " + name);
    }
    return this;
  }

  public Map<String, ConfigKey> keys() {
    return Collections.unmodifiableMap(keys);
  }

  /** The result of parsing: every known key's value and the keys nobody defined. */
  public record Parsed(Map<String, Object> values, Map<String, String> explicit,
      List<String> unknown) {}

  public Parsed parse(Map<String, String> text) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> explicit = new LinkedHashMap<>();
    for (ConfigKey key : keys.values()) {
      String raw = text.get(key.name());
      if (raw != null) {
        values.put(key.name(), key.parse(raw));
        explicit.put(key.name(), raw);
      } else {
        values.put(key.name(), key.defaultValue());
      }
    }
    List<String> unknown = text.keySet().stream().filter(k -> !keys.containsKey(k)).sorted()
        .toList();
    return new Parsed(values, explicit, unknown);
  }
}
