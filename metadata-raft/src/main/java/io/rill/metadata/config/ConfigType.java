package io.rill.metadata.config;

/** A config's value type, with the code DescribeConfigs (v3+) reports for it. */
public enum ConfigType {
  BOOLEAN(1),
  STRING(2),
  INT(3),
  SHORT(4),
  LONG(5),
  DOUBLE(6),
  LIST(7),
  CLASS(8),
  PASSWORD(9);

  public final byte code;

  ConfigType(int code) {
    this.code = (byte) code;
  }
}
