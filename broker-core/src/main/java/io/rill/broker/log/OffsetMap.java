package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cleaner's bounded map from record key to the offset of the key's latest record in the
 * dirty section, in the manner of Kafka's {@code SkimpyOffsetMap}: keys are not stored, only their
 * 128-bit MD5 digest, so memory per key is fixed whatever the key size.
 *
 * <pre>
 * slot (3 longs, 24 bytes):
 *   DIGEST_HIGH  long  first 8 bytes of MD5(key)
 *   DIGEST_LOW   long  last 8 bytes of MD5(key)
 *   OFFSET_PLUS1 long  offset + 1; 0 marks an empty slot
 * </pre>
 *
 * <p>Open addressing with linear probing, filled to at most {@link #LOAD_FACTOR} of its slots
 * (Kafka's {@code log.cleaner.io.buffer.load.factor} default): the caller asks {@link
 * #hasRoomFor} before each batch and stops building there. Two keys with the same digest would
 * share an entry (a 2^-128 event per pair; Kafka accepts the same).
 *
 * <p>Invariants: {@code size <= maxEntries}; {@link #put} offsets only grow, so an entry always
 * holds the key's latest offset seen. Not thread-safe: one per cleaner thread.
 */
final class OffsetMap {
  static final int SLOT_LONGS = 3;
  static final int BYTES_PER_SLOT = SLOT_LONGS * Long.BYTES;
  static final double LOAD_FACTOR = 0.9;
  private static final int DIGEST_BYTES = 16;

  private final long[] slots;
  private final int slotCount;
  private final int maxEntries;
  private final MessageDigest md5;
  private final byte[] digest = new byte[DIGEST_BYTES];
  private long digestHigh;
  private long digestLow;
  private int size;
  private long lastOffset = -1L;

  /** A map of {@code memoryBytes / 24} slots. */
  OffsetMap(long memoryBytes) {
    long count = memoryBytes / BYTES_PER_SLOT;
    Checks.argument(count >= 2 && count * SLOT_LONGS <= Integer.MAX_VALUE - 8,
        "offset map of %s bytes has an unusable slot count %s", memoryBytes, count);
    this.slotCount = (int) count;
    this.slots = new long[slotCount * SLOT_LONGS];
    this.maxEntries = Math.max(1, (int) (slotCount * LOAD_FACTOR));
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  /** The memory a map needs so that {@code keys} fit under the load factor. */
  static long bytesFor(long keys) {
    return (long) Math.ceil(Math.max(2, keys) / LOAD_FACTOR + 1) * BYTES_PER_SLOT;
  }

  long memoryBytes() {
    return (long) slots.length * Long.BYTES;
  }

  /** Whether {@code keys} more distinct keys are sure to fit. */
  boolean hasRoomFor(int keys) {
    return (long) size + keys <= maxEntries;
  }

  int maxEntries() {
    return maxEntries;
  }

  /** Records {@code offset} as the latest of {@code key} (a non-null key; its position kept). */
  void put(ByteBuffer key, long offset) {
    Checks.state(size < maxEntries, "offset map is full at %s entries", size);
    int slot = find(key);
    int at = slot * SLOT_LONGS;
    if (slots[at + 2] == 0) {
      slots[at] = digestHigh;
      slots[at + 1] = digestLow;
      size++;
    }
    slots[at + 2] = offset + 1;
    lastOffset = Math.max(lastOffset, offset);
  }

  /** The latest offset of {@code key}, or -1 when the map does not hold it. */
  long get(ByteBuffer key) {
    int at = find(key) * SLOT_LONGS;
    return slots[at + 2] - 1;
  }

  /** The largest offset put since the last clear; -1 when empty. */
  long lastOffset() {
    return lastOffset;
  }

  int size() {
    return size;
  }

  void clear() {
    java.util.Arrays.fill(slots, 0L);
    size = 0;
    lastOffset = -1L;
  }

  /** The slot holding {@code key}'s digest, or the empty slot where it would go. */
  private int find(ByteBuffer key) {
    hash(key);
    int slot = (int) Long.remainderUnsigned(digestHigh ^ (digestLow >>> 17), slotCount);
    while (true) {
      int at = slot * SLOT_LONGS;
      if (slots[at + 2] == 0 || (slots[at] == digestHigh && slots[at + 1] == digestLow)) {
        return slot;
      }
      slot = slot + 1 == slotCount ? 0 : slot + 1;
    }
  }

  private void hash(ByteBuffer key) {
    md5.update(key.duplicate());
    try {
      md5.digest(digest, 0, DIGEST_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("MD5 digest into a 16-byte array failed", e);
    }
    ByteBuffer d = ByteBuffer.wrap(digest);
    digestHigh = d.getLong(0);
    digestLow = d.getLong(8);
  }
}
