package io.rill.metadata.config;

/** Where an effective config value came from, with Kafka's DescribeConfigs source codes. */
public enum ConfigSource {
  DYNAMIC_TOPIC_CONFIG(1),
  DYNAMIC_BROKER_CONFIG(2),
  DYNAMIC_DEFAULT_BROKER_CONFIG(3),
  STATIC_BROKER_CONFIG(4),
  DEFAULT_CONFIG(5);

  public final byte code;

  ConfigSource(int code) {
    this.code = (byte) code;
  }
}
