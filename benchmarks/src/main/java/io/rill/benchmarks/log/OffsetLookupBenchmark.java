package io.rill.benchmarks.log;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogDirFailures;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A read's offset lookup in a full 1 GiB segment (target: <= 2 us median): floor segment,
 * binary search of the mmapped index, header scan, one-batch region. Random offsets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OffsetLookupBenchmark {
  static final int BATCH_BYTES = 16 * 1024;
  static final int RECORDS_PER_BATCH = 16;
  Path dir;
  ExecutorScheduler scheduler;
  PartitionLog log;
  long logEnd;
  final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-lookup");
    scheduler = new ExecutorScheduler(1);
    log = PartitionLog.open(dir, new TopicPartition("bench", 0), LogConfig.DEFAULT, 0, 0, true,
        Time.SYSTEM, scheduler, new LogDirFailures());
    var batch = BenchBatches.batch(BATCH_BYTES, RECORDS_PER_BATCH, System.currentTimeMillis());
    while (log.segmentCount() == 1) {
      log.appendAsLeader(batch.duplicate(), 0);
    }
    logEnd = log.segmentBaseOffsets().get(1); // lookups stay in the full first segment
    System.out.println("segment 0 holds offsets [0, " + logEnd + ")");
  }

  @Benchmark
  public long lookup() {
    long offset = random.nextLong(logEnd);
    return log.read(offset, 1, Long.MAX_VALUE, true).records().position();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    log.close();
    scheduler.close();
    BenchBatches.deleteRecursively(dir);
  }
}
