package io.rill.benchmarks.log;

import io.rill.broker.log.CleanerSettings;
import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogConfig;
import io.rill.broker.log.LogManager;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Cleaner throughput: one log of {@code dirtyMiB} of uncompressed 100-byte values under {@code
 * keys} distinct keys (batches of 100 records, every key written about dirtyMiB * 10^4 / keys
 * times), never cleaned; the measured time is a broker start with the cleaner on until the log
 * is cleaned up to its active segment (one thread, 128 MiB dedupe buffer, Kafka's defaults).
 * MB/s = dirtyMiB / seconds. Run: {@code scripts/bench/jmh.sh CleanerThroughputBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CleanerThroughputBenchmark {
  static final TopicPartition TP = new TopicPartition("table", 0);
  static final int VALUE_BYTES = 100;
  static final int BATCH_RECORDS = 100;

  @Param({"1024"})
  public int dirtyMiB;

  @Param({"1000000"})
  public int keys;

  Path dir;
  ExecutorScheduler scheduler;
  LogManager manager;
  long target;

  static LogConfig config() {
    return LogConfig.of(Map.of(LogConfig.CLEANUP_POLICY, "compact"));
  }

  @Setup(Level.Iteration)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("rill-bench-cleaner");
    scheduler = new ExecutorScheduler(1);
    LogManager writer = manager(false);
    writer.startup();
    PartitionLog log = writer.getOrCreateLog(TP);
    Random random = new Random(42);
    byte[] value = new byte[VALUE_BYTES];
    long bytes = (long) dirtyMiB << 20;
    long now = System.currentTimeMillis();
    while (log.sizeInBytes() < bytes) {
      RecordBatchBuilder builder = new RecordBatchBuilder();
      for (int i = 0; i < BATCH_RECORDS; i++) {
        random.nextBytes(value);
        builder.append(now, ("key-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8),
            value);
      }
      ByteBuffer batch = builder.build();
      log.appendAsLeader(batch, 0);
    }
    log.roll();
    target = log.logEndOffset();
    writer.shutdown();
  }

  private LogManager manager(boolean clean) {
    LogManager m = new LogManager(List.of(dir), topic -> config(), Time.SYSTEM, scheduler,
        LogManager.Settings.DEFAULT);
    m.configureCleaner(new CleanerSettings(clean, 1, 128L << 20, Double.MAX_VALUE, 10,
        86_400_000L));
    return m;
  }

  @Benchmark
  public long cleanDirtyLog() throws InterruptedException {
    manager = manager(true);
    manager.startup();
    PartitionLog log = manager.log(TP).orElseThrow();
    while (log.cleanedOffset() < target) {
      Thread.sleep(5); // poll interval of the measurement
    }
    return log.sizeInBytes();
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws Exception {
    if (manager != null) {
      System.out.printf("%n%d MiB dirty, %d keys: cleaned log %d bytes%n", dirtyMiB, keys,
          manager.log(TP).orElseThrow().sizeInBytes());
      manager.shutdown();
    }
    scheduler.close();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
