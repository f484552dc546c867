package io.rill.protocol.record;

import io.rill.protocol.ProtocolException;

/** The codec of a record batch: the low three bits of its attributes (Kafka's numbering). */
public enum CompressionType {
  NONE(0, "none"),
  GZIP(1, "gzip"),
  SNAPPY(2, "snappy"),
  LZ4(3, "lz4"),
  ZSTD(4, "zstd");

  public final int id;
  public final String configName;

  CompressionType(int id, String configName) {
    this.id = id;
    this.configName = configName;
  }

  public static CompressionType forId(int id) {
    return switch (id) {
      case 0 -> NONE;
      case 1 -> GZIP;
      case 2 -> SNAPPY;
      case 3 -> LZ4;
      case 4 -> ZSTD;
      default -> throw new InvalidRecordException("unknown compression type id " + id);
    };
  }

  public static CompressionType forName(String name) {
    for (CompressionType t : values()) {
      if (t.configName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new ProtocolException("unknown compression type '" + name + "'");
  }
}
