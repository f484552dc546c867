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
 * <p>The cleaner looks keys up in groups ({@link #stage}, then {@link #putStaged} or {@link
 * #getStaged}): the table is far larger than the CPU caches and a key's slot is anywhere in it,
 * so a lone lookup waits a full memory latency; a group's slots are loaded together first (see
 * {@link #prefetchStaged}). With the record scanner this made the cleaning of {@code
 * CleanerThroughputBenchmark}'s 1 GiB log three times cheaper in CPU (docs/performance.md); the
 * memory per key is unchanged.
 *
 * <p>Invariants: {@code size <= maxEntries}; {@link #put} offsets only grow, so an entry always
 * holds the key's latest offset seen; {@code staged <= STAGE_MAX}. Not thread-safe: one per
 * cleaner thread.
 */
final class OffsetMap {
  static final int SLOT_LONGS = 3;
  static final int BYTES_PER_SLOT = SLOT_LONGS * Long.BYTES;
  static final double LOAD_FACTOR = 0.9;
  /**
   * Keys looked up together (see {@link #prefetchStaged}): enough to keep a core's dozen or so
   * outstanding misses busy, few enough that their slots stay in the L1 cache until probed.
   * Measured on the 1 GiB benchmark: 16 costs 2.35 s of CPU, 64 2.10 to 2.16 s, 256 2.08 to
   * 2.18 s.
   */
  static final int STAGE_MAX = 64;

  private final long[] slots;
  private final int slotCount;
  private final int maxEntries;
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  /** Random per map: an unlucky pair of keys does not collide in every map. */
  private final long seed;
  private long digestHigh;
  private long digestLow;
  private final long[] stagedHigh = new long[STAGE_MAX];
  private final long[] stagedLow = new long[STAGE_MAX];
  private final int[] stagedSlot = new int[STAGE_MAX];
  /** Keys staged; invariant {@code staged <= STAGE_MAX}. */
  private int staged;
  private long prefetchSink;
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
    hash(key, key.position(), key.remaining());
    insert(probe(digestHigh, digestLow, home(digestHigh, digestLow)), digestHigh, digestLow,
        offset);
  }

  /** The latest offset of {@code key}, or -1 when the map does not hold it. */
  long get(ByteBuffer key) {
    hash(key, key.position(), key.remaining());
    return slots[probe(digestHigh, digestLow, home(digestHigh, digestLow)) * SLOT_LONGS + 2] - 1;
  }

  /**
   * Stages the key of {@code length} bytes at absolute {@code position} of {@code buffer} for
   * the next {@link #putStaged} or {@link #getStaged}: hashes it now (the bytes may change
   * afterwards). At most {@link #STAGE_MAX} keys; see {@link #stageFull}.
   */
  void stage(ByteBuffer buffer, int position, int length) {
    if (staged == STAGE_MAX) { // not Checks.state: its varargs would box on every key
      throw new IllegalStateException("the stage holds " + STAGE_MAX + " keys already");
    }
    hash(buffer, position, length);
    stagedHigh[staged] = digestHigh;
    stagedLow[staged] = digestLow;
    stagedSlot[staged] = home(digestHigh, digestLow);
    staged++;
  }

  /** Keys staged since the last put or get of the stage. */
  int staged() {
    return staged;
  }

  boolean stageFull() {
    return staged == STAGE_MAX;
  }

  /**
   * Records {@code offsets[i]} as the latest of the i-th staged key, in staging order (so of two
   * equal keys the later wins, as with {@link #put}); then empties the stage.
   */
  void putStaged(long[] offsets) {
    prefetchStaged();
    for (int i = 0; i < staged; i++) {
      long high = stagedHigh[i];
      long low = stagedLow[i];
      insert(probe(high, low, stagedSlot[i]), high, low, offsets[i]);
    }
    staged = 0;
  }

  /** Sets {@code latest[i]} to the i-th staged key's latest offset or -1; empties the stage. */
  void getStaged(long[] latest) {
    prefetchStaged();
    for (int i = 0; i < staged; i++) {
      latest[i] = slots[probe(stagedHigh[i], stagedLow[i], stagedSlot[i]) * SLOT_LONGS + 2] - 1;
    }
    staged = 0;
  }

  /**
   * Loads the home slot of every staged key before any is probed. The slots lie at random in
   * a table far larger than the CPU caches, so each probe is a cache (and TLB) miss: probed one
   * after another they cost a memory latency each, which is most of a cleaning's CPU time;
   * loaded in one tight loop of independent reads, the core keeps several misses in flight, and
   * the probes that follow hit the cache. Both ends of the 24-byte slot are touched, as it may
   * straddle two cache lines.
   */
  private void prefetchStaged() {
    long sink = 0;
    for (int i = 0; i < staged; i++) {
      int at = stagedSlot[i] * SLOT_LONGS;
      sink += slots[at] + slots[at + 2];
    }
    prefetchSink = sink; // a field write, so the JIT cannot drop the loads
  }

  private void insert(int slot, long high, long low, long offset) {
    if (size >= maxEntries) { // not Checks.state: its varargs would box on every put
      throw new IllegalStateException("offset map is full at " + size + " entries");
    }
    int at = slot * SLOT_LONGS;
    if (slots[at + 2] == 0) {
      slots[at] = high;
      slots[at + 1] = low;
      size++;
    }
    slots[at + 2] = offset + 1;
    lastOffset = Math.max(lastOffset, offset);
  }

  /** The largest offset put since the last clear; -1 when empty. */
  long lastOffset() {
    return lastOffset;
  }

  int size() {
    return size;
  }

  /** Empties the map, and the stage too (a pass that failed mid-batch may have left keys in it). */
  void clear() {
    java.util.Arrays.fill(slots, 0L);
    staged = 0;
    size = 0;
    lastOffset = -1L;
  }

  private int home(long high, long low) {
    return (int) Long.remainderUnsigned(high ^ (low >>> 17), slotCount);
  }

  /** The slot holding the digest, or the empty slot where it would go, from its home slot. */
  private int probe(long high, long low, int home) {
    int slot = home;
    while (true) {
      int at = slot * SLOT_LONGS;
      if (slots[at + 2] == 0 || (slots[at] == high && slots[at + 1] == low)) {
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
  private void hash(ByteBuffer key, int start, int length) {
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
