package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.TestRecords.BatchSpec;
import io.rill.protocol.record.TestRecords.Rec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The rule: the cleaner's {@link RecordScanner} sees exactly what the full decoder ({@link
 * RecordIterator}) sees — the same offsets, keys and value presence, record by record, and the
 * same record when it decodes one in full — for random batches in every codec (null and empty
 * keys and values, tombstones, headers with null values, non-zero base offsets); and on damaged
 * record bytes it fails exactly when the full decoder fails.
 */
class RecordScannerProperties {
  /** What the cleaner reads of a record, plus its full decoding. */
  record Seen(long offset, String key, boolean hasValue, Rec full) {}

  @Property(tries = 300)
  void scanAgreesWithFullDecode(@ForAll long seed, @ForAll CompressionType codec,
      @ForAll @IntRange(min = 1, max = 80) int count) {
    System.out.println("RecordScannerProperties seed=" + seed);
    Random random = new Random(seed);
    List<Rec> recs = TestRecords.sample(random, count);
    long baseOffset = random.nextInt(1_000_000);
    ByteBuffer buf = TestRecords.ourWrite(new BatchSpec(codec, baseOffset, -1, (short) -1, -1,
        false, -1, -1), recs);
    // A direct buffer, the batch not at position 0, as in the cleaner's read buffer.
    int lead = random.nextInt(16);
    ByteBuffer direct = ByteBuffer.allocateDirect(lead + buf.remaining());
    direct.position(lead);
    direct.put(buf.duplicate());
    direct.clear();
    RecordBatch batch = RecordBatch.at(direct, lead);
    batch.validate(direct.limit());

    RecordScanner scanner = new RecordScanner();
    // The scanner is reused across batches: a first batch of another codec must not leak.
    scanner.reset(RecordBatch.at(TestRecords.ourWrite(BatchSpec.plain(CompressionType.GZIP),
        TestRecords.sample(random, 3)), 0));
    assertThat(scan(scanner, batch, true)).isEqualTo(decode(batch, true));
    // And again, reset in between; without full decoding, as the cleaner mostly reads.
    assertThat(scan(scanner, batch, false)).isEqualTo(decode(batch, false));
  }

  @Property(tries = 400)
  void damagedRecordsFailWhereTheFullDecoderFails(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 20) int count,
      @ForAll @IntRange(min = 1, max = 4) int damage) {
    System.out.println("RecordScannerProperties seed=" + seed);
    Random random = new Random(seed);
    ByteBuffer buf = TestRecords.ourWrite(BatchSpec.plain(CompressionType.NONE),
        TestRecords.sample(random, count));
    int records = buf.limit() - RecordBatch.RECORDS_OFFSET;
    for (int i = 0; i < damage; i++) {
      int at = RecordBatch.RECORDS_OFFSET + random.nextInt(records);
      buf.put(at, (byte) (random.nextBoolean() ? random.nextInt(256)
          : buf.get(at) ^ (1 << random.nextInt(8))));
    }
    RecordBatch batch = RecordBatch.at(buf, 0); // the CRC no longer holds: not checked here
    Object expected;
    try {
      expected = decode(batch, false);
    } catch (InvalidRecordException e) {
      expected = InvalidRecordException.class;
    }
    Object actual;
    try {
      actual = scan(new RecordScanner(), batch, false);
    } catch (InvalidRecordException e) {
      actual = InvalidRecordException.class;
    }
    Statistics.collect(expected == InvalidRecordException.class ? "rejected" : "read");
    assertThat(actual).isEqualTo(expected);
  }

  /** The scanner's view of each record; with {@code full}, its full decoding too. */
  private static List<Seen> scan(RecordScanner scanner, RecordBatch batch, boolean full) {
    List<Seen> out = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    scanner.reset(batch);
    while (scanner.next()) {
      String key = null;
      if (scanner.hasKey()) {
        byte[] bytes = new byte[scanner.keyLength()];
        scanner.buffer().get(scanner.keyPosition(), bytes);
        key = hex(bytes);
      }
      positions.add(scanner.recordPosition());
      out.add(new Seen(scanner.offset(), key, scanner.hasValue(),
          full ? rec(scanner.record()) : null));
    }
    assertThat(scanner.next()).isFalse();
    if (!full) {
      return out;
    }
    // Decoding a record later, by its position, gives the same record.
    for (int i = 0; i < positions.size(); i++) {
      assertThat(rec(scanner.recordAt(positions.get(i)))).isEqualTo(out.get(i).full());
    }
    return out;
  }

  private static List<Seen> decode(RecordBatch batch, boolean full) {
    List<Seen> out = new ArrayList<>();
    try (RecordIterator records = batch.records()) {
      while (records.hasNext()) {
        Record r = records.next();
        out.add(new Seen(r.offset(), r.hasKey() ? hex(TestRecords.bytes(r.key())) : null,
            r.hasValue(), full ? rec(r) : null));
      }
    }
    return out;
  }

  private static Rec rec(Record r) {
    return new Rec(r.timestamp(), TestRecords.bytes(r.key()), TestRecords.bytes(r.value()),
        r.headers().stream().map(h -> new TestRecords.Hdr(h.key(),
            TestRecords.bytes(h.value()))).toList());
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b));
    }
    return s.toString();
  }
}
