package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.compress.Compression;
import io.rill.protocol.compress.Decompressor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Malformed input of every kind, fed to every reader: the only permitted failure is a {@link
 * ProtocolException} (usually its subclass {@link InvalidRecordException}) — never an
 * underflow, an index error, a native library's exception, or an OutOfMemoryError.
 *
 * <p>Bit flips are applied and then the CRC is recomputed, so the damage reaches the record
 * parser and the codecs instead of stopping at the checksum.
 */
class CorruptionFuzzTest {
  static final int FLIP_ROUNDS = 400;
  static final int RANDOM_ROUNDS = 300;
  /** Small, so that "expands past the limit" paths are exercised too. */
  static final int FUZZ_LIMIT = 256 * 1024;

  /** Every reader over one buffer that should hold one batch from position 0. */
  static void readEverything(ByteBuffer buf, String what) {
    only(what + " RecordBatches", () -> {
      RecordBatches batches = RecordBatches.of(buf);
      batches.hasPartialTrailingBatch();
      batches.batchCount();
      for (RecordBatch b : batches) {
        b.toString();
      }
    });
    only(what + " validate", () -> RecordBatch.at(buf, 0).validate(buf.limit()));
    only(what + " iterate", () -> {
      try (RecordIterator it = RecordIterator.of(RecordBatch.at(buf, 0), FUZZ_LIMIT)) {
        while (it.hasNext()) {
          Record r = it.next();
          r.key();
          r.value();
          r.headers().forEach(Header::value);
        }
      }
    });
    for (RecordBatchValidator.Source source : RecordBatchValidator.Source.values()) {
      only(what + " deep " + source, () -> new RecordBatchValidator(FUZZ_LIMIT)
          .validate(RecordBatch.at(buf, 0), buf.limit(), source));
    }
  }

  static void only(String what, Runnable r) {
    try {
      r.run();
    } catch (ProtocolException expected) {
      // the one permitted failure
    } catch (Throwable t) {
      fail(what + " threw " + t + " (seed " + SEED + ")", t);
    }
  }

  static final long SEED = TestRecords.seed();

  /** A dozen varied records (a few KB): every truncation point is tried, so keep it small. */
  static ByteBuffer sampleBatch(CompressionType codec, Random rnd) {
    return TestRecords.ourWrite(TestRecords.BatchSpec.plain(codec), TestRecords.sample(rnd, 12));
  }

  static void fixCrc(byte[] b) {
    if (b.length < RecordBatch.RECORD_BATCH_OVERHEAD) {
      return;
    }
    CRC32C crc = new CRC32C();
    int end = Math.min(b.length, RecordBatch.LOG_OVERHEAD + Math.max(0,
        ByteBuffer.wrap(b).getInt(RecordBatch.LENGTH_OFFSET)));
    if (end > RecordBatch.ATTRIBUTES_OFFSET) {
      crc.update(b, RecordBatch.ATTRIBUTES_OFFSET, end - RecordBatch.ATTRIBUTES_OFFSET);
      ByteBuffer.wrap(b).putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void truncatedAtEveryLength(CompressionType codec) {
    Random rnd = new Random(SEED);
    byte[] whole = bytes(sampleBatch(codec, rnd));
    for (int len = 0; len < whole.length; len++) {
      ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(whole, len));
      readEverything(cut, codec + " cut at " + len);
      RecordBatches batches = RecordBatches.of(cut);
      if (len > 0) {
        assertThat(batches.hasPartialTrailingBatch()).as("cut at %d", len).isTrue();
      }
      assertThat(batches.batchCount()).isZero();
    }
    // Also: the header still claims the full length but the records end early, CRC fixed up.
    for (int len = RecordBatch.RECORD_BATCH_OVERHEAD; len < whole.length; len++) {
      byte[] b = Arrays.copyOf(whole, len);
      ByteBuffer.wrap(b).putInt(RecordBatch.LENGTH_OFFSET, len - RecordBatch.LOG_OVERHEAD);
      fixCrc(b);
      readEverything(ByteBuffer.wrap(b), codec + " short records " + len);
    }
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void randomBitFlipsWithTheCrcFixedUp(CompressionType codec) {
    Random rnd = new Random(SEED);
    byte[] whole = bytes(sampleBatch(codec, rnd));
    for (int round = 0; round < FLIP_ROUNDS; round++) {
      byte[] b = whole.clone();
      for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
        // Favour the records (and the count/length fields) over the fixed header.
        int at = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length)
            : RecordBatch.RECORDS_COUNT_OFFSET + rnd.nextInt(b.length
                - RecordBatch.RECORDS_COUNT_OFFSET);
        b[at] ^= (byte) (1 << rnd.nextInt(8));
      }
      fixCrc(b);
      readEverything(ByteBuffer.wrap(b), codec + " flip round " + round);
    }
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void randomRecordBytesBehindAValidHeader(CompressionType codec) {
    Random rnd = new Random(SEED);
    byte[] header = Arrays.copyOf(bytes(sampleBatch(codec, rnd)), RecordBatch.RECORDS_OFFSET);
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
      byte[] b = Arrays.copyOf(header, RecordBatch.RECORDS_OFFSET + rnd.nextInt(2000));
      for (int i = RecordBatch.RECORDS_OFFSET; i < b.length; i++) {
        b[i] = (byte) rnd.nextInt();
      }
      ByteBuffer bb = ByteBuffer.wrap(b);
      bb.putInt(RecordBatch.LENGTH_OFFSET, b.length - RecordBatch.LOG_OVERHEAD);
      bb.putInt(RecordBatch.RECORDS_COUNT_OFFSET, rnd.nextInt(50));
      fixCrc(b);
      readEverything(bb, codec + " random round " + round);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void decompressorsFedGarbageOrDamagedFrames(CompressionType codec) {
    Random rnd = new Random(SEED);
    byte[] data = new byte[100_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt() : 'a' + i % 7);
    }
    io.rill.protocol.compress.BoundedOutputBuffer out =
        new io.rill.protocol.compress.BoundedOutputBuffer(1024, 1 << 20);
    Compression.compress(codec, ByteBuffer.wrap(data), out);
    byte[] good = bytes(out.toByteBuffer());
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
      byte[] b;
      switch (round % 3) {
        case 0 -> b = TestRecords.randomBytes(rnd, rnd.nextInt(3000));
        case 1 -> b = Arrays.copyOf(good, rnd.nextInt(good.length));
        default -> {
          b = good.clone();
          for (int f = 1 + rnd.nextInt(4); f > 0; f--) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
      }
      byte[] input = b;
      only(codec + " decompress round " + round, () -> {
        try (Decompressor d = Compression.decompress(codec, ByteBuffer.wrap(input), FUZZ_LIMIT)) {
          byte[] sink = new byte[4096];
          while (!d.atEnd()) {
            d.readFully(sink, 0, (int) Math.min(1, d.remainingBudget()));
            d.readByte();
          }
        }
      });
    }
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
