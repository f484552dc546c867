package io.rill.benchmarks.log;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogDirFailures;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Recovery of a 1 GiB unflushed segment after an unclean stop (target: >= 500 MB/s, i.e. <= 2.1
 * s per op): every batch's CRC checked, both indexes rebuilt. The file is in the page cache, as
 * it is after a process crash.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryBenchmark {
  static final TopicPartition TP = new TopicPartition("bench", 0);
  Path dir;
  ExecutorScheduler scheduler;
  long segmentBytes;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-recovery");
    scheduler = new ExecutorScheduler(1);
    PartitionLog log = PartitionLog.open(dir, TP, LogConfig.DEFAULT, 0, 0, true, Time.SYSTEM,
        scheduler, new LogDirFailures());
    var batch = BenchBatches.batch(16 * 1024, 16, System.currentTimeMillis());
    while (log.sizeInBytes() + batch.remaining() <= LogConfig.DEFAULT.segmentBytes()) {
      log.appendAsLeader(batch.duplicate(), 0);
    }
    segmentBytes = log.sizeInBytes();
    log.close();
    System.out.println("segment bytes " + segmentBytes);
  }

  @Benchmark
  public long recover1GiB() throws Exception {
    PartitionLog log = PartitionLog.open(dir, TP, LogConfig.DEFAULT, 0, 0, false, Time.SYSTEM,
        scheduler, new LogDirFailures());
    long end = log.logEndOffset();
    log.close();
    return end;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    scheduler.close();
    BenchBatches.deleteRecursively(dir);
  }
}
