package io.rill.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.InvalidRecordException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

/** Each codec round-trips, interoperates with Kafka's own streams, and is bounded. */
class CompressionTest {
  static final long SEED = seed();

  static long seed() {
    long seed = Long.getLong("rill.seed", System.nanoTime());
    System.out.println("random seed " + seed + " (rerun with -Drill.seed=" + seed + ")");
    return seed;
  }

  static byte[] sampleData(Random rnd, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; ) {
      // Runs of text and random bytes: compressible, but not trivially.
      if (rnd.nextBoolean()) {
        byte[] word = ("word" + rnd.nextInt(100) + " ").getBytes();
        for (int j = 0; j < word.length && i < n; j++) {
          out[i++] = word[j];
        }
      } else {
        for (int j = rnd.nextInt(20); j > 0 && i < n; j--) {
          out[i++] = (byte) rnd.nextInt();
        }
      }
    }
    return out;
  }

  static ByteBuffer compress(CompressionType type, byte[] data) {
    BoundedOutputBuffer out = new BoundedOutputBuffer(64,
        (int) Compression.maxCompressedBytes(type, data.length));
    Compression.compress(type, ByteBuffer.wrap(data), out);
    return out.toByteBuffer();
  }

  static byte[] decompressAll(CompressionType type, ByteBuffer compressed, int max) {
    try (Decompressor d = Compression.decompress(type, compressed, max)) {
      return drain(d);
    }
  }

  static byte[] drain(Decompressor d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b; (b = d.readByte()) >= 0; ) {
      out.write(b);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void roundTripsAtSizesAroundBlockBoundaries(CompressionType type) {
    Random rnd = new Random(SEED);
    for (int n : new int[] {0, 1, 100, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 65536,
        65537, 300_000}) {
      byte[] data = sampleData(rnd, n);
      ByteBuffer compressed = compress(type, data);
      assertThat(compressed.remaining()).isLessThanOrEqualTo(
          (int) Compression.maxCompressedBytes(type, n));
      try (Decompressor d = Compression.decompress(type, compressed, n)) {
        assertThat(drain(d)).as("size %d", n).isEqualTo(data);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void incompressibleDataStaysWithinTheDeclaredBound(CompressionType type) {
    byte[] data = new byte[1 << 20];
    new Random(SEED).nextBytes(data);
    ByteBuffer compressed = compress(type, data);
    assertThat((long) compressed.remaining())
        .isLessThanOrEqualTo(Compression.maxCompressedBytes(type, data.length));
  }

  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void kafkaStreamsReadOursAndWeReadTheirs(CompressionType type) throws IOException {
    byte[] data = sampleData(new Random(SEED), 200_000);
    org.apache.kafka.common.compress.Compression kafka =
        io.rill.protocol.record.TestRecordsAccess.kafkaCodec(type);
    try (InputStream in = kafka.wrapForInput(compress(type, data), (byte) 2,
        BufferSupplier.create())) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    ByteBufferOutputStream bbos = new ByteBufferOutputStream(1024);
    try (OutputStream out = kafka.wrapForOutput(bbos, (byte) 2)) {
      out.write(data);
    }
    ByteBuffer theirs = bbos.buffer().flip();
    try (Decompressor d = Compression.decompress(type, theirs, data.length)) {
      assertThat(drain(d)).isEqualTo(data);
    }
  }

  @Test
  void snappyReadsRawBlocksAsLibrdkafkaWritesThem() throws IOException {
    byte[] data = sampleData(new Random(SEED), 100_000);
    byte[] raw = Snappy.compress(data);
    try (Decompressor d = Compression.decompress(CompressionType.SNAPPY, ByteBuffer.wrap(raw),
        data.length)) {
      assertThat(drain(d)).isEqualTo(data);
    }
  }

  @Test
  void snappyReadsSnappyJavasStreamIncludingConcatenatedStreams() throws IOException {
    byte[] a = sampleData(new Random(SEED), 70_000);
    byte[] b = sampleData(new Random(SEED + 1), 5_000);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    for (byte[] part : new byte[][] {a, b}) {
      try (SnappyOutputStream out = new SnappyOutputStream(both)) {
        out.write(part);
      }
    }
    byte[] expected = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, expected, a.length, b.length);
    try (Decompressor d = Compression.decompress(CompressionType.SNAPPY,
        ByteBuffer.wrap(both.toByteArray()), expected.length)) {
      assertThat(drain(d)).isEqualTo(expected);
    }
  }

  @Test
  void snappyRawBlockClaimingAGibibyteIsRefusedBeforeAllocating() {
    // Raw snappy starts with the uncompressed length as an unsigned varint: claim 1 GiB.
    byte[] claim = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, 0, 0, 0};
    assertThatThrownBy(() -> decompressAll(CompressionType.SNAPPY, ByteBuffer.wrap(claim),
        Compression.DEFAULT_MAX_DECOMPRESSED_BYTES))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("declares");
  }

  @Test
  void lz4HeaderChecksumIsVerified() {
    ByteBuffer good = compress(CompressionType.LZ4, sampleData(new Random(SEED), 1000));
    byte[] bad = new byte[good.remaining()];
    good.get(bad);
    bad[6] ^= 0x01; // the HC byte after magic, FLG, BD
    assertThatThrownBy(() -> decompressAll(CompressionType.LZ4, ByteBuffer.wrap(bad), 10_000))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("checksum");
  }

  @Test
  void lz4DependentBlocksAreRefusedLikeKafka() throws IOException {
    ByteBuffer good = compress(CompressionType.LZ4, new byte[10]);
    byte[] bytes = new byte[good.remaining()];
    good.get(bytes);
    bytes[4] &= ~0x20; // clear block independence; fix the header checksum so only that fails
    int hc = (net.jpountz.xxhash.XXHashFactory.fastestInstance().hash32()
        .hash(bytes, 4, 2, 0) >> 8) & 0xff;
    bytes[6] = (byte) hc;
    assertThatThrownBy(() -> decompressAll(CompressionType.LZ4, ByteBuffer.wrap(bytes), 100))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("dependent");
  }

  /** Zip bombs: a gibibyte of zeros per codec; expansion stops at the limit. */
  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void gibibyteOfZerosIsRefusedAtTheLimit(CompressionType type) throws IOException {
    long claimed = 1L << 30;
    BoundedOutputBuffer out = new BoundedOutputBuffer(1 << 20, 128 << 20);
    byte[] zeros = new byte[1 << 20];
    if (type == CompressionType.GZIP) {
      // Deflating a gibibyte takes seconds; 1024 copies of a 1 MiB member are the same stream
      // to a reader (gzip members concatenate) and take milliseconds to make.
      ByteBuffer member = compress(type, zeros);
      for (long written = 0; written < claimed; written += zeros.length) {
        out.write(member);
      }
    } else {
      try (OutputStream c = Compression.compressor(type, out)) {
        for (long written = 0; written < claimed; written += zeros.length) {
          c.write(zeros);
        }
      }
    }
    ByteBuffer bomb = out.toByteBuffer();
    assertThatThrownBy(() -> {
      try (Decompressor d = Compression.decompress(type, bomb,
          Compression.DEFAULT_MAX_DECOMPRESSED_BYTES)) {
        byte[] sink = new byte[1 << 16];
        while (true) {
          d.readFully(sink, 0, sink.length);
        }
      }
    }).isInstanceOf(InvalidRecordException.class).hasMessageContaining("limit");
  }

  @Test
  void readingPastTheEndFailsAsCorruptNotUnderflow() {
    ByteBuffer c = compress(CompressionType.ZSTD, new byte[100]);
    try (Decompressor d = Compression.decompress(CompressionType.ZSTD, c, 1000)) {
      assertThatThrownBy(() -> d.readFully(new byte[101], 0, 101))
          .isInstanceOf(InvalidRecordException.class);
    }
  }

  @Test
  void gzipConcatenatedMembersAreOneStream() throws IOException {
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    for (String s : new String[] {"hello ", "world"}) {
      try (OutputStream out = new java.util.zip.GZIPOutputStream(both)) {
        out.write(s.getBytes());
      }
    }
    try (Decompressor d = Compression.decompress(CompressionType.GZIP,
        ByteBuffer.wrap(both.toByteArray()), 100)) {
      assertThat(new String(drain(d))).isEqualTo("hello world");
    }
    assertThat(new ByteArrayInputStream(new byte[0]).read()).isEqualTo(-1);
  }
}
