package io.rill.metadata.config;

import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One config key: its type, default (as Kafka writes it), validator, documentation and the
 * broker property that supplies a cluster-wide default (Kafka's "synonym", e.g.
 * {@code retention.ms} ← {@code log.retention.ms}).
 */
public record ConfigDef(
    String name,
    ConfigType type,
    String defaultValue,
    ConfigValidator validator,
    String doc,
    Optional<String> serverDefaultProperty) {

  public ConfigDef {
    Checks.argument(name != null && type != null && defaultValue != null && validator != null
        && doc != null && serverDefaultProperty != null, "null field in config %s", name);
    Checks.argument(validate(name, type, validator, defaultValue).isEmpty(),
        "default of %s is invalid", name);
  }

  /** Why {@code value} is invalid for this key, or empty when it is valid. */
  public Optional<String> validate(String value) {
    return validate(name, type, validator, value);
  }

  /**
   * Why {@code value} is invalid for a key {@code name} of {@code type}, or empty when it
   * parses and passes {@code validator}; the reason starts with Kafka's "Invalid value".
   */
  public static Optional<String> validate(
      String name, ConfigType type, ConfigValidator validator, String value) {
    Object parsed;
    try {
      parsed = parse(type, value);
    } catch (IllegalArgumentException e) {
      return Optional.of("Invalid value " + value + " for configuration " + name + ": "
          + e.getMessage());
    }
    return validator.check(parsed)
        .map(reason -> "Invalid value " + value + " for configuration " + name + ": " + reason);
  }

  /** Parses a value of {@code type}; throws IllegalArgumentException when it does not parse. */
  public static Object parse(ConfigType type, String value) {
    String v = value.trim();
    return switch (type) {
      case BOOLEAN -> {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
          yield Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("Expected value to be either true or false");
      }
      case INT -> parseNumber(() -> Integer.parseInt(v), "a 32-bit integer");
      case SHORT -> parseNumber(() -> Short.parseShort(v), "a 16-bit integer");
      case LONG -> parseNumber(() -> Long.parseLong(v), "a 64-bit integer");
      case DOUBLE -> parseNumber(() -> Double.parseDouble(v), "a double");
      case LIST -> parseList(v);
      case STRING, CLASS, PASSWORD -> v;
    };
  }

  private static Object parseNumber(java.util.function.Supplier<Object> parse, String what) {
    try {
      return parse.get();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Not a number of type " + what, e);
    }
  }

  public static List<String> parseList(String value) {
    List<String> out = new ArrayList<>();
    if (value.isBlank()) {
      return out;
    }
    for (String part : value.split(",", -1)) {
      out.add(part.trim());
    }
    return out;
  }
}
