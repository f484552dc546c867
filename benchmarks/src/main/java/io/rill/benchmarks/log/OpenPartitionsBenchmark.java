package io.rill.benchmarks.log;

import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogManager;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/** Startup of a log dir of 1,000 partitions after a clean shutdown (target: <= 1 s). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenPartitionsBenchmark {
  static final int PARTITIONS = 1000;
  Path dir;
  ExecutorScheduler scheduler;
  LogManager manager;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-open");
    scheduler = new ExecutorScheduler(1);
    LogManager creator = newManager();
    creator.startup();
    var batch = BenchBatches.batch(1024, 4, System.currentTimeMillis());
    for (int p = 0; p < PARTITIONS; p++) {
      PartitionLog log = creator.getOrCreateLog(new TopicPartition("topic-" + (p % 50), p));
      for (int i = 0; i < 10; i++) {
        log.appendAsLeader(batch.duplicate(), 0);
      }
    }
    creator.shutdown();
  }

  private LogManager newManager() {
    return new LogManager(List.of(dir), topic -> LogConfig.DEFAULT, Time.SYSTEM, scheduler,
        LogManager.Settings.DEFAULT);
  }

  @Benchmark
  public int openCleanDir() {
    manager = newManager();
    manager.startup();
    return manager.logs().size();
  }

  @TearDown(Level.Invocation)
  public void closeManager() {
    if (manager != null) {
      manager.shutdown();
      manager = null;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    scheduler.close();
    BenchBatches.deleteRecursively(dir);
  }
}
