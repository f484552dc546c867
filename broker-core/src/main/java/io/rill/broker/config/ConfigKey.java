package io.rill.broker.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One configuration key: its Kafka name, type, default (null = no default, the key is
 * required) and a validator for parsed values. Immutable.
 */
public record ConfigKey(
    String name, Type type, Object defaultValue, Predicate<Object> validator, String rule,
    String doc) {

  /** The types a value can take; parse converts the text form. */
  public enum Type {
    INT, LONG, BOOLEAN, STRING, LIST, DOUBLE;

    Object parse(String key, String text) {
      String t = text.trim();
      try {
        return switch (this) {
          case INT -> Integer.parseInt(t);
          case LONG -> Long.parseLong(t);
          case DOUBLE -> Double.parseDouble(t);
          case BOOLEAN -> parseBoolean(key, t);
          case STRING -> t;
          case LIST -> t.isEmpty() ? List.of()
              : Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        };
      } catch (NumberFormatException e) {
        throw new ConfigException(key, text, "expected " + name().toLowerCase(Locale.ROOT));
      }
    }

    private static Boolean parseBoolean(String key, String t) {
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
      throw new ConfigException(key, t, "expected true or false");
    }
  }

  public Object parse(String text) {
    Object value = type.parse(name, text);
    if (!validator.test(value)) {
      throw new ConfigException(name, text, "must be " + rule);
    }
    return value;
  }

  public static Predicate<Object> atLeast(long min) {
    return v -> ((Number) v).longValue() >= min;
  }

  public static Predicate<Object> oneOf(String... allowed) {
    List<String> set = List.of(allowed);
    return v -> set.contains(v);
  }

  public static Predicate<Object> any() {
    return v -> true;
  }
}
