package io.rill.benchmarks.protocol;

import io.rill.protocol.compress.Compression;
import io.rill.protocol.compress.Decompressor;
import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.record.RecordBatchValidator;
import io.rill.protocol.record.RecordIterator;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Hot paths of the record layer over a ~1 MiB batch of 1,000 records (~1 KiB values, text-like
 * so the codecs have something to do). Each benchmark processes one whole batch per call;
 * MB/s = (uncompressed batch bytes, printed at setup) / (time per op).
 *
 * <ul>
 *   <li>{@code crcValidate}: {@link RecordBatch#validate}, i.e. CRC-32C over the batch (target
 *       2 GB/s or more: the JDK's CRC32C is intrinsified).
 *   <li>{@code iterateUncompressed}: every record materialised as a {@link Record} view.
 *   <li>{@code deepValidateUncompressed}: {@link RecordBatchValidator}, the broker's path.
 *   <li>{@code decompressLz4}/{@code decompressZstd}: the bounded {@link Decompressor} draining
 *       the records section.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RecordBatchBenchmark {
  static final int RECORDS = 1000;
  static final int VALUE_BYTES = 1024;

  private ByteBuffer uncompressed;
  private ByteBuffer lz4Records;
  private ByteBuffer zstdRecords;
  private final RecordBatchValidator validator = new RecordBatchValidator();
  private final byte[] sink = new byte[64 * 1024];

  @Setup(Level.Trial)
  public void setup() {
    uncompressed = build(CompressionType.NONE);
    lz4Records = recordsSection(build(CompressionType.LZ4));
    zstdRecords = recordsSection(build(CompressionType.ZSTD));
    System.out.printf("%nbatch: %d bytes uncompressed, lz4 records %d bytes, zstd records %d"
        + " bytes%n", uncompressed.remaining(), lz4Records.remaining(), zstdRecords.remaining());
  }

  static ByteBuffer build(CompressionType codec) {
    Random rnd = new Random(42);
    RecordBatchBuilder b = new RecordBatchBuilder().compression(codec).maxBatchBytes(4 << 20);
    String[] words = {"alpha", "beta", "gamma", "delta", "order", "user", "id", "price", "ok"};
    for (int i = 0; i < RECORDS; i++) {
      StringBuilder v = new StringBuilder();
      while (v.length() < VALUE_BYTES) {
        v.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(1000)).append(' ');
      }
      b.append(1_700_000_000_000L + i, ("key-" + i).getBytes(),
          v.substring(0, VALUE_BYTES).getBytes());
    }
    return b.build();
  }

  static ByteBuffer recordsSection(ByteBuffer batch) {
    return batch.duplicate().position(RecordBatch.RECORDS_OFFSET).slice();
  }

  @Benchmark
  public long crcValidate() {
    RecordBatch batch = RecordBatch.at(uncompressed, 0);
    batch.validate(uncompressed.limit());
    return batch.checksum();
  }

  @Benchmark
  public void iterateUncompressed(Blackhole bh) {
    try (RecordIterator it = RecordBatch.at(uncompressed, 0).records()) {
      while (it.hasNext()) {
        Record r = it.next();
        bh.consume(r.offset());
        bh.consume(r.valueSize());
      }
    }
  }

  @Benchmark
  public int deepValidateUncompressed() {
    validator.validate(RecordBatch.at(uncompressed, 0), uncompressed.limit(),
        RecordBatchValidator.Source.PRODUCER);
    return validator.recordCount();
  }

  @Benchmark
  public long decompressLz4() {
    return drain(CompressionType.LZ4, lz4Records);
  }

  @Benchmark
  public long decompressZstd() {
    return drain(CompressionType.ZSTD, zstdRecords);
  }

  private long drain(CompressionType type, ByteBuffer records) {
    try (Decompressor d = Compression.decompress(type, records,
        Compression.DEFAULT_MAX_DECOMPRESSED_BYTES)) {
      long remaining = uncompressed.remaining() - RecordBatch.RECORDS_OFFSET;
      while (remaining > 0) {
        int n = (int) Math.min(sink.length, remaining);
        d.readFully(sink, 0, n);
        remaining -= n;
      }
      return d.position();
    }
  }
}
