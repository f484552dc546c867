package io.rill.protocol.record;

import io.rill.protocol.compress.Compression;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;

/** Test model of a record plus writers/readers for both our code and kafka-clients' (oracle). */
final class TestRecords {
  private TestRecords() {}

  /** A record as the test model sees it: byte arrays, null meaning null. */
  record Rec(long timestamp, byte[] key, byte[] value, List<Hdr> headers) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Rec r && r.timestamp == timestamp && Arrays.equals(r.key, key)
          && Arrays.equals(r.value, value) && r.headers.equals(headers);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(timestamp) ^ Arrays.hashCode(key) ^ Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Rec(" + timestamp + ", " + str(key) + ", " + str(value) + ", " + headers + ")";
    }
  }

  record Hdr(String key, byte[] value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Hdr h && h.key.equals(key) && Arrays.equals(h.value, value);
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + str(value);
    }
  }

  static String str(byte[] b) {
    return b == null ? "null" : b.length + "B";
  }

  static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static org.apache.kafka.common.compress.Compression kafkaCodec(CompressionType t) {
    return switch (t) {
      case NONE -> org.apache.kafka.common.compress.Compression.NONE;
      case GZIP -> org.apache.kafka.common.compress.Compression.gzip().build();
      case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
      case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().build();
      case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().build();
    };
  }

  /** Batch fields common to both writers. */
  record BatchSpec(CompressionType codec, long baseOffset, long producerId, short producerEpoch,
      int baseSequence, boolean transactional, int leaderEpoch, long logAppendTime) {
    static BatchSpec plain(CompressionType codec) {
      return new BatchSpec(codec, 0, -1, (short) -1, -1, false, -1, -1);
    }
  }

  static ByteBuffer kafkaWrite(BatchSpec s, List<Rec> recs) {
    org.apache.kafka.common.record.TimestampType tt = s.logAppendTime >= 0
        ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
        : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(1024), (byte) 2,
        kafkaCodec(s.codec), tt, s.baseOffset, s.logAppendTime, s.producerId, s.producerEpoch,
        s.baseSequence, s.transactional, false, s.leaderEpoch);
    for (Rec r : recs) {
      org.apache.kafka.common.header.Header[] hs = r.headers.stream()
          .map(h -> new RecordHeader(h.key, h.value))
          .toArray(org.apache.kafka.common.header.Header[]::new);
      b.append(r.timestamp, r.key, r.value, hs);
    }
    return b.build().buffer();
  }

  static ByteBuffer ourWrite(BatchSpec s, List<Rec> recs) {
    RecordBatchBuilder b = new RecordBatchBuilder().compression(s.codec).baseOffset(s.baseOffset)
        .producer(s.producerId, s.producerEpoch, s.baseSequence)
        .partitionLeaderEpoch(s.leaderEpoch).maxBatchBytes(64 << 20);
    if (s.transactional) {
      b.transactional();
    }
    if (s.logAppendTime >= 0) {
      b.logAppendTime(s.logAppendTime);
    }
    for (Rec r : recs) {
      List<Header> hs = r.headers.stream().map(h -> Header.of(h.key, h.value)).toList();
      b.append(r.timestamp, r.key == null ? null : ByteBuffer.wrap(r.key),
          r.value == null ? null : ByteBuffer.wrap(r.value), hs);
    }
    return b.build();
  }

  static List<Rec> ourRead(RecordBatch batch) {
    List<Rec> out = new ArrayList<>();
    try (RecordIterator it = batch.records()) {
      while (it.hasNext()) {
        Record r = it.next();
        List<Hdr> hs = r.headers().stream().map(h -> new Hdr(h.key(), bytes(h.value()))).toList();
        out.add(new Rec(r.timestamp(), bytes(r.key()), bytes(r.value()), hs));
      }
    }
    return out;
  }

  static List<Rec> kafkaRead(org.apache.kafka.common.record.RecordBatch batch) {
    List<Rec> out = new ArrayList<>();
    for (org.apache.kafka.common.record.Record r : batch) {
      List<Hdr> hs = Arrays.stream(r.headers()).map(h -> new Hdr(h.key(), h.value())).toList();
      out.add(new Rec(r.timestamp(), bytes(r.key()), bytes(r.value()), hs));
    }
    return out;
  }

  /** A varied, seeded set of records: nulls, empties, unicode, headers, compressible runs. */
  static List<Rec> sample(Random rnd, int n) {
    List<Rec> out = new ArrayList<>();
    long ts = 1_700_000_000_000L + rnd.nextInt(1000);
    for (int i = 0; i < n; i++) {
      byte[] key = switch (rnd.nextInt(4)) {
        case 0 -> null;
        case 1 -> new byte[0];
        case 2 -> ("key-" + i + "-ключ-鍵").getBytes(StandardCharsets.UTF_8);
        default -> randomBytes(rnd, rnd.nextInt(40));
      };
      byte[] value = switch (rnd.nextInt(5)) {
        case 0 -> null;
        case 1 -> new byte[0];
        case 2 -> ("value " + i + " ").repeat(rnd.nextInt(50)).getBytes(StandardCharsets.UTF_8);
        default -> randomBytes(rnd, rnd.nextInt(300));
      };
      List<Hdr> hs = new ArrayList<>();
      for (int h = rnd.nextInt(3); h > 0; h--) {
        hs.add(new Hdr("h" + h + "-ü", rnd.nextBoolean() ? null : randomBytes(rnd, rnd.nextInt(8))));
      }
      ts += rnd.nextInt(2000) - 500; // timestamps may go backwards: deltas are signed
      out.add(new Rec(ts, key, value, hs));
    }
    return out;
  }

  static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  static long seed() {
    long seed = Long.getLong("rill.seed", System.nanoTime());
    System.out.println("random seed " + seed + " (rerun with -Drill.seed=" + seed + ")");
    return seed;
  }

  static final int DEFAULT_LIMIT = Compression.DEFAULT_MAX_DECOMPRESSED_BYTES;
}
