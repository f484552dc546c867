package io.rill.protocol.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One record header: a non-null UTF-8 key and a value that may be null (distinct from empty).
 *
 * <p>Read from a batch, {@code value} is a read-only slice of the batch (or of the record's
 * decompressed bytes); {@link #value()} hands out a fresh read-only view each call so a reader
 * can move its position freely. Immutable.
 */
public record Header(String key, ByteBuffer value) {
  public Header {
    Objects.requireNonNull(key, "header key");
  }

  public static Header of(String key, byte[] value) {
    return new Header(key, value == null ? null : ByteBuffer.wrap(value));
  }

  /** The value, or null if the header has none. */
  @Override
  public ByteBuffer value() {
    return value == null ? null : value.asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "Header(" + key + ", " + (value == null ? "null" : value.remaining() + " bytes") + ")";
  }
}
