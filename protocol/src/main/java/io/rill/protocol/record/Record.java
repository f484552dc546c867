package io.rill.protocol.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record of a batch as a reader sees it: absolute offset and timestamp already resolved
 * from the batch's base values, key and value as buffers.
 *
 * <p>Key and value may be null (distinct from empty: Kafka's tombstones are null values).
 * They are views, not copies: of the batch's own bytes when it is uncompressed (valid as long
 * as those bytes are), of a per-record array when it was decompressed. Each accessor returns a
 * fresh read-only view. Immutable.
 */
public final class Record {
  private final long offset;
  private final int offsetDelta;
  private final long timestamp;
  private final int sizeInBytes;
  private final ByteBuffer key;
  private final ByteBuffer value;
  private final List<Header> headers;

  Record(long offset, int offsetDelta, long timestamp, int sizeInBytes, ByteBuffer key,
      ByteBuffer value, List<Header> headers) {
    this.offset = offset;
    this.offsetDelta = offsetDelta;
    this.timestamp = timestamp;
    this.sizeInBytes = sizeInBytes;
    this.key = key;
    this.value = value;
    this.headers = headers;
  }

  public long offset() {
    return offset;
  }

  /** Offset relative to the batch's base offset. */
  public int offsetDelta() {
    return offsetDelta;
  }

  /** CreateTime as the producer set it, or the batch's LogAppendTime. */
  public long timestamp() {
    return timestamp;
  }

  /** Bytes this record takes in the (uncompressed) records section, length prefix included. */
  public int sizeInBytes() {
    return sizeInBytes;
  }

  public boolean hasKey() {
    return key != null;
  }

  public boolean hasValue() {
    return value != null;
  }

  /** The key, or null. */
  public ByteBuffer key() {
    return key == null ? null : key.asReadOnlyBuffer();
  }

  /** The value, or null (a tombstone). */
  public ByteBuffer value() {
    return value == null ? null : value.asReadOnlyBuffer();
  }

  /** -1 for a null key. */
  public int keySize() {
    return key == null ? -1 : key.remaining();
  }

  /** -1 for a null value. */
  public int valueSize() {
    return value == null ? -1 : value.remaining();
  }

  /** Unmodifiable; empty when the record has none. */
  public List<Header> headers() {
    return headers;
  }

  @Override
  public String toString() {
    return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize()
        + "B, value=" + valueSize() + "B, headers=" + headers.size() + ")";
  }
}
