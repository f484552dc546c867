package io.rill.benchmarks.log;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.FileRegion;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogDirFailures;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fetch read path of one partition, as a consumer's fetch drives it: find the batch holding a
 * random offset in 256 MiB of 16 KiB batches (several 64 MiB segments), take up to {@code
 * max.partition.fetch.bytes} (1 MiB) of whole batches as a file region, and, in {@link
 * #readAndTransfer}, hand that region to the kernel with {@code transferTo} as the network layer
 * does (to /dev/null here, so the figure is the broker's side of the copy, not a socket's).
 * Time per 1 MiB read; divide 1 MiB by it for bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FetchReadBenchmark {
  static final int BATCH_BYTES = 16 * 1024;
  static final int RECORDS_PER_BATCH = 16;
  static final int FETCH_BYTES = 1024 * 1024;
  static final long LOG_BYTES = 256L * 1024 * 1024;
  Path dir;
  ExecutorScheduler scheduler;
  PartitionLog log;
  FileChannel devNull;
  long logEnd;
  final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-fetch");
    scheduler = new ExecutorScheduler(1);
    LogConfig config = LogConfig.of(java.util.Map.of(LogConfig.SEGMENT_BYTES,
        Integer.toString(64 * 1024 * 1024)));
    log = PartitionLog.open(dir, new TopicPartition("bench", 0), config, 0, 0, true,
        Time.SYSTEM, scheduler, new LogDirFailures());
    var batch = BenchBatches.batch(BATCH_BYTES, RECORDS_PER_BATCH, System.currentTimeMillis());
    for (long written = 0; written < LOG_BYTES; written += batch.remaining()) {
      log.appendAsLeader(batch.duplicate(), 0);
    }
    logEnd = log.logEndOffset();
    devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    System.out.println(log.segmentCount() + " segments, offsets [0, " + logEnd + ")");
  }

  @Benchmark
  public int read() {
    return log.read(random.nextLong(logEnd), FETCH_BYTES, Long.MAX_VALUE, true).records()
        .length();
  }

  @Benchmark
  public long readAndTransfer() throws IOException {
    FileRegion region = log.read(random.nextLong(logEnd), FETCH_BYTES, Long.MAX_VALUE, true)
        .records();
    long sent = 0;
    while (sent < region.length()) {
      sent += region.channel().transferTo(region.position() + sent, region.length() - sent,
          devNull);
    }
    return sent;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    devNull.close();
    log.close();
    scheduler.close();
    BenchBatches.deleteRecursively(dir);
  }
}
