package io.rill.metadata.controller;

import java.util.Optional;

/** Kafka's topic-name rules ({@code org.apache.kafka.common.internals.Topic}). */
public final class TopicNames {
  /** 255 minus room for a partition suffix and a ".deleted" marker in directory names. */
  public static final int NAME_LENGTH_MAX = 249;

  private TopicNames() {}

  /** Why {@code name} is not a legal topic name, or empty when it is. */
  public static Optional<String> validate(String name) {
    if (name.isEmpty()) {
      return Optional.of("Topic name is illegal, it can't be empty");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("Topic name cannot be \".\" or \"..\"");
    }
    if (name.length() > NAME_LENGTH_MAX) {
      return Optional.of("Topic name is illegal, it can't be longer than " + NAME_LENGTH_MAX
          + " characters, topic name: " + name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!legal) {
        return Optional.of("Topic name \"" + name + "\" is illegal, it contains a character"
            + " other than ASCII alphanumerics, '.', '_' and '-'");
      }
    }
    return Optional.empty();
  }

  /**
   * Names that differ only in '.' versus '_' collide: both map to the same metric names, so
   * Kafka refuses the second one.
   */
  public static String collisionKey(String name) {
    return name.replace('.', '_');
  }
}
