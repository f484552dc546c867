package io.rill.benchmarks.log;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogDirFailures;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appends 16 KiB batches to one partition through the page cache (target: >= 1 GB/s, i.e. >=
 * 61,000 ops/s). Each append validates the CRC, stamps offsets and writes. Retention keeps the
 * log under 2 GiB so the benchmark does not fill the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendBenchmark {
  static final int BATCH_BYTES = 16 * 1024;
  /** Run retention every this many appends (64 MiB). */
  static final int RETENTION_EVERY = 4096;
  Path dir;
  ExecutorScheduler scheduler;
  PartitionLog log;
  ByteBuffer batch;
  long appends;
  /** Where the request bytes live: heap (a copy into a bounce buffer per write) or direct. */
  @Param({"heap", "direct"})
  String buffer;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-append");
    scheduler = new ExecutorScheduler(1);
    LogConfig config = LogConfig.of(Map.of(LogConfig.RETENTION_BYTES, Long.toString(2L << 30),
        LogConfig.FILE_DELETE_DELAY_MS, "0"));
    log = PartitionLog.open(dir, new TopicPartition("bench", 0), config, 0, 0, true,
        Time.SYSTEM, scheduler, new LogDirFailures());
    ByteBuffer heap = BenchBatches.batch(BATCH_BYTES, 16, System.currentTimeMillis());
    batch = buffer.equals("heap") ? heap : ByteBuffer.allocateDirect(heap.remaining()).put(heap)
        .flip();
  }

  @Benchmark
  public long append16KiB() {
    ByteBuffer b = batch.duplicate();
    long offset = log.appendAsLeader(b, 0).lastOffset();
    if (++appends % RETENTION_EVERY == 0) {
      log.deleteRetainedSegments();
    }
    return offset;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    scheduler.close();
    BenchBatches.deleteRecursively(dir);
  }
}
