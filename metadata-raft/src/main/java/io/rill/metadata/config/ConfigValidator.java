package io.rill.metadata.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a parsed config value (Integer, Long, Double, Boolean, String or List of String);
 * answers the reason it is invalid, or empty when it is fine.
 */
@FunctionalInterface
public interface ConfigValidator {
  Optional<String> check(Object value);

  ConfigValidator ANY = v -> Optional.empty();

  static ConfigValidator atLeast(long min) {
    return between(min, Long.MAX_VALUE);
  }

  static ConfigValidator between(long min, long max) {
    return v -> {
      long n = ((Number) v).longValue();
      return n >= min && n <= max
          ? Optional.empty()
          : Optional.of(max == Long.MAX_VALUE ? "Value must be at least " + min
              : "Value must be in [" + min + ", " + max + "]");
    };
  }

  static ConfigValidator betweenDouble(double min, double max) {
    return v -> {
      double d = (Double) v;
      return d >= min && d <= max ? Optional.empty()
          : Optional.of("Value must be in [" + min + ", " + max + "]");
    };
  }

  static ConfigValidator oneOf(String... allowed) {
    Set<String> set = Set.of(allowed);
    return v -> set.contains((String) v) ? Optional.empty()
        : Optional.of("String must be one of: " + String.join(", ", allowed));
  }

  /** Every element of a list is one of {@code allowed}; the list may not be empty. */
  static ConfigValidator listOf(String... allowed) {
    Set<String> set = Set.of(allowed);
    return v -> {
      List<?> items = (List<?>) v;
      if (items.isEmpty()) {
        return Optional.of("List must not be empty");
      }
      for (Object item : items) {
        if (!set.contains(item)) {
          return Optional.of("Invalid value " + item + "; must be one of: "
              + String.join(", ", allowed));
        }
      }
      return Optional.empty();
    };
  }

  /** -1, or a value in [min, max] (gzip's compression level). */
  static ConfigValidator minusOneOrBetween(long min, long max) {
    ConfigValidator range = between(min, max);
    return v -> ((Number) v).longValue() == -1 ? Optional.empty() : range.check(v);
  }
}
