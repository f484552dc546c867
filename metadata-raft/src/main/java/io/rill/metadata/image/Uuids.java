package io.rill.metadata.image;

import io.rill.metadata.record.Uuid;
import java.util.UUID;

/** Conversions between Java's {@link UUID} and the records' {@link Uuid}. */
public final class Uuids {
  /** Kafka's "no id": never a valid topic or incarnation id. */
  public static final UUID ZERO = new UUID(0L, 0L);

  /**
   * Ids below this (with a zero high half) are reserved, as Kafka reserves
   * {@code Uuid.METADATA_TOPIC_ID} (0, 1) and the zero id.
   */
  public static final long RESERVED_LOW_MAX = 100;

  private Uuids() {}

  public static Uuid toProto(UUID id) {
    return Uuid.newBuilder()
        .setMost(id.getMostSignificantBits())
        .setLeast(id.getLeastSignificantBits())
        .build();
  }

  public static UUID fromProto(Uuid id) {
    return new UUID(id.getMost(), id.getLeast());
  }

  /** True for the zero id and the other ids Kafka reserves. */
  public static boolean isReserved(UUID id) {
    return id.getMostSignificantBits() == 0
        && id.getLeastSignificantBits() >= 0
        && id.getLeastSignificantBits() < RESERVED_LOW_MAX;
  }
}
