package io.rill.broker.config;

/** A configuration value is missing or invalid; the message names the key. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, Object value, String problem) {
    super("Invalid value " + value + " for configuration " + key + ": " + problem);
  }

  public ConfigException(String message) {
    super(message);
  }
}
