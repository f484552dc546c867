package io.rill.protocol.schema;

import java.util.UUID;

/** Kafka's UUID conventions (topic ids, KIP-516). */
public final class Uuids {
  /** "No id": what old clients send and what a topic without an id reports. */
  public static final UUID ZERO = new UUID(0L, 0L);

  private Uuids() {}

  /** Kafka's text form: URL-safe base64 of the 16 bytes, without padding. */
  public static String toBase64(UUID id) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }
}
