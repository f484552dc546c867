package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The cleaner's bounded map from record key to the offset of the key's latest record in the
 * dirty section, in the manner of Kafka's {@code SkimpyOffsetMap}: keys are not stored, only a
 * 128-bit digest (seeded MurmurHash3 where Kafka uses MD5), so memory per key is fixed whatever
 * the key size.
 *
 * <pre>
 * slot (3 longs, 24 bytes):
 *   DIGEST_HIGH  long  first half of the key's 128-bit digest
 *   DIGEST_LOW   long  second half
 *   OFFSET_PLUS1 long  offset + 1; 0 marks an empty slot
 * </pre>
 *
 * <p>Open addressing with linear probing, filled to at most {@link #LOAD_FACTOR} of its slots
 * (Kafka's {@code log.cleaner.io.buffer.load.factor} default): the caller asks {@link
 * #hasRoomFor} before each batch and stops building there. Two keys with the same digest would
 * share an entry (about a 2^-128 event per pair; Kafka accepts the same of MD5).
 *
 * <p>Invariants: {@code size <= maxEntries}; {@link #put} offsets only grow, so an entry always
 * holds the key's latest offset seen. Not thread-safe: one per cleaner thread.
 */
final class OffsetMap {
  static final int SLOT_LONGS = 3;
  static final int BYTES_PER_SLOT = SLOT_LONGS * Long.BYTES;
  static final double LOAD_FACTOR = 0.9;

  private final long[] slots;
  private final int slotCount;
  private final int maxEntries;
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  /** Random per map: an unlucky pair of keys does not collide in every map. */
  private final long seed;
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
    this.seed = new java.security.SecureRandom().nextLong();
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
    if (size >= maxEntries) { // not Checks.state: its varargs would box on every put
      throw new IllegalStateException("offset map is full at " + size + " entries");
    }
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

  /**
   * MurmurHash3 x64 128 (Austin Appleby's public-domain design) of the key's bytes, seeded per
   * map: several times cheaper than MD5 on short keys. Neither is a defence against keys crafted
   * to collide (MD5 collisions are practical too); a collision costs one of the two keys its
   * latest record, as in Kafka.
   */
  private void hash(ByteBuffer key) {
    int start = key.position();
    int length = key.remaining();
    long h1 = seed;
    long h2 = seed;
    int blocks = length / 16;
    boolean little = key.order() == ByteOrder.LITTLE_ENDIAN;
    for (int i = 0; i < blocks; i++) {
      long k1 = littleEndianLong(key, start + i * 16, little);
      long k2 = littleEndianLong(key, start + i * 16 + 8, little);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = start + blocks * 16;
    for (int i = (length & 15) - 1; i >= 0; i--) {
      long b = key.get(tail + i) & 0xffL;
      if (i >= 8) {
        k2 |= b << ((i - 8) * 8);
      } else {
        k1 |= b << (i * 8);
      }
    }
    h2 ^= mixK2(k2);
    h1 ^= mixK1(k1);
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    digestHigh = h1;
    digestLow = h2;
  }

  private static long littleEndianLong(ByteBuffer b, int index, boolean little) {
    long v = b.getLong(index);
    return little ? v : Long.reverseBytes(v);
  }

  private static long mixK1(long k) {
    return Long.rotateLeft(k * C1, 31) * C2;
  }

  private static long mixK2(long k) {
    return Long.rotateLeft(k * C2, 33) * C1;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
