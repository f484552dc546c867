package io.rill.broker.log;

import static io.rill.broker.log.KeyedRecords.KeyValue;
import static io.rill.broker.log.KeyedRecords.Stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner thread swaps segments while the writer appends and rolls and a reader reads the
 * whole log again and again, on real threads and a real scheduler (replaced segments closed
 * after file.delete.delay.ms): every read returns offsets in order, each record the one written
 * at its offset; once the writer stops and the cleaner catches up, every key's latest record is
 * there and only once.
 */
class CleanerConcurrencyTest {
  static final TopicPartition TP = new TopicPartition("busy", 0);
  @TempDir Path dir;

  @Test
  void cleaningUnderConcurrentAppendsAndReadsLosesNothing() throws Exception {
    long seed = System.nanoTime();
    System.out.println("CleanerConcurrencyTest seed=" + seed);
    Random random = new Random(seed);
    LogConfig config = LogConfig.of(Map.of(LogConfig.CLEANUP_POLICY, "compact",
        LogConfig.SEGMENT_BYTES, "3000", LogConfig.INDEX_INTERVAL_BYTES, "200",
        LogConfig.FILE_DELETE_DELAY_MS, "100", LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01"));
    try (ExecutorScheduler scheduler = new ExecutorScheduler(1)) {
      LogManager manager = new LogManager(List.of(dir), topic -> config, Time.SYSTEM, scheduler,
          LogManager.Settings.DEFAULT);
      manager.configureCleaner(new CleanerSettings(true, 1, 4096, Double.MAX_VALUE, 1,
          86_400_000L));
      manager.startup();
      PartitionLog log = manager.getOrCreateLog(TP);
      Map<Long, KeyValue> written = new ConcurrentHashMap<>();
      AtomicLong writtenEnd = new AtomicLong();
      AtomicReference<Throwable> readerFailure = new AtomicReference<>();
      // Not Thread.interrupt: an interrupt during FileChannel I/O closes the shared channel.
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            long end = writtenEnd.get();
            long previous = -1;
            for (Stored r : readWithRetry(log)) {
              assertThat(r.offset()).isGreaterThan(previous);
              previous = r.offset();
              if (r.offset() < end) {
                assertThat(written.get(r.offset())).as("record at %s", r.offset())
                    .isEqualTo(new KeyValue(r.key(), r.value()));
              }
            }
          }
        } catch (Throwable t) {
          readerFailure.set(t);
        }
      }, "reader");
      reader.start();
      for (int b = 0; b < 6000; b++) {
        List<KeyValue> kvs = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          kvs.add(new KeyValue("k" + random.nextInt(60),
              random.nextInt(8) == 0 ? null : "v" + b + "-" + i));
        }
        var appended = log.appendAsLeader(KeyedRecords.batch(kvs, System.currentTimeMillis()),
            1);
        for (int i = 0; i < kvs.size(); i++) {
          written.put(appended.firstOffset() + i, kvs.get(i));
        }
        writtenEnd.set(appended.lastOffset() + 1);
      }
      log.roll();
      long end = log.logEndOffset();
      long deadline = System.currentTimeMillis() + 60_000;
      while (log.cleanedOffset() < end) {
        assertThat(System.currentTimeMillis()).as("cleaned up to %s", end).isLessThan(deadline);
        Thread.sleep(5); // a poll interval
      }
      stop.set(true);
      reader.join();
      assertThat(readerFailure.get()).isNull();
      assertThat(manager.cleaner().orElseThrow().uncleanablePartitions()).isEmpty();

      List<Stored> all = KeyedRecords.read(log);
      Map<String, Long> latest = new HashMap<>();
      written.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> latest.put(e.getValue().key(), e.getKey()));
      Set<Long> present = new HashSet<>();
      Set<String> keys = new HashSet<>();
      for (Stored r : all) {
        present.add(r.offset());
        assertThat(keys.add(r.key())).as("key %s twice", r.key()).isTrue();
      }
      assertThat(present).containsAll(latest.values());
      manager.shutdown();
    }
  }

  /** A read that meets segments closed under it twice (a swap and a delete) tries again. */
  private static List<Stored> readWithRetry(PartitionLog log) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return KeyedRecords.read(log);
      } catch (KafkaStorageException e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }
}
