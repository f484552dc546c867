package io.rill.broker.log;

import io.rill.broker.metrics.JmxGauge;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the logs whose {@code cleanup.policy} includes {@code compact} so that each key keeps
 * its latest record (Kafka's {@code LogCleaner} and {@code LogCleanerManager}). Each of {@code
 * log.cleaner.threads} threads repeatedly takes the dirtiest log that is worth cleaning (dirty
 * ratio at least {@code min.cleanable.dirty.ratio}, or a record older than {@code
 * max.compaction.lag.ms} left uncompacted), runs one {@link CompactionPass} on it and, when no
 * log is worth it, waits {@code log.cleaner.backoff.ms}.
 *
 * <p>Invariants: a log is cleaned by at most one thread at a time ({@link #inProgress}). A log
 * whose cleaning failed on an I/O error (a full disk) is left as it was and alone for {@link
 * #IO_RETRY_MS}; one whose cleaning failed otherwise (damaged data, a bug), but for its dir going
 * offline or its own closing, is marked uncleanable (logged, counted by {@link
 * #uncleanablePartitions}) and skipped until it is deleted or the broker restarts. Neither
 * failure reaches another log or the broker.
 *
 * <p>Threads: the cleaner threads ({@code log-cleaner-<i>}) own their offset maps; {@link
 * #start}, {@link #reconfigure} and {@link #shutdown} may run on any thread and are serialised
 * on {@code lifecycle}; {@link #cleanDirtiest} and {@link #clean} run a pass on the caller's
 * thread (tests, tools). Picking a log is synchronized on this.
 */
public final class LogCleaner {
  private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
  /** One thread's offset map is capped at 2 GiB whatever the dedupe buffer, as in Kafka. */
  static final long MAP_BYTES_MAX = Integer.MAX_VALUE;
  /** How long a log whose cleaning failed on an I/O error (a full disk) is left alone. */
  static final long IO_RETRY_MS = 60_000L;

  private final Supplier<Collection<PartitionLog>> logs;
  private final Runnable checkpoint;
  private final Time time;
  private final CleanerThrottler throttler;
  private final Set<TopicPartition> inProgress = new HashSet<>();
  private final Set<TopicPartition> uncleanable = ConcurrentHashMap.newKeySet();
  /** Logs whose last cleaning failed on an I/O error, and when they may be tried again. */
  private final Map<TopicPartition, Long> retryAfterMs = new ConcurrentHashMap<>();
  /** When each log's last completed cleaning ended (wall clock ms), since this broker started. */
  private final Map<TopicPartition, Long> lastCleaningMs = new ConcurrentHashMap<>();
  /** Guarded by {@link #lifecycle}. */
  private final List<Thread> threads = new ArrayList<>();
  /** Serialises start, reconfigure and shutdown. */
  private final Object lifecycle = new Object();
  private final Object idle = new Object();
  private volatile CleanerSettings settings;
  private volatile boolean running;
  /** The highest dirty ratio among the logs the last pick looked at (Kafka's max-dirty-percent). */
  private volatile double maxDirtyRatio;
  /** When the last pass ended (wall clock ms); when the cleaner was made, before any. */
  private volatile long lastPassEndMs;
  /** How long the last pass took, in ms (Kafka's max-clean-time-secs, of one pass here). */
  private volatile long lastPassMs;
  /** Set while threads are being stopped: passes under way stop at their next batch. */
  private volatile boolean stopping;

  /**
   * @param logs the logs to consider, read at every pick
   * @param checkpoint writes the cleaner-offset checkpoints after a pass
   */
  public LogCleaner(CleanerSettings settings, Supplier<Collection<PartitionLog>> logs,
      Runnable checkpoint, Time time) {
    this.settings = settings;
    this.logs = logs;
    this.checkpoint = checkpoint;
    this.time = time;
    this.throttler = new CleanerThrottler(settings.ioMaxBytesPerSecond(), time);
    this.lastPassEndMs = time.milliseconds();
  }

  /** Starts the cleaner threads ({@code log.cleaner.threads} of them, none when disabled). */
  public void start() {
    synchronized (lifecycle) {
      running = true;
      startThreads();
    }
  }

  private void startThreads() {
    stopping = false;
    int count = settings.enabled() ? settings.threads() : 0;
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(new Worker()::loop, "log-cleaner-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Stops the threads: a pass under way stops at its next batch, deleting its cleaned file. */
  public void shutdown() {
    synchronized (lifecycle) {
      running = false;
      stopThreads();
    }
  }

  private void stopThreads() {
    stopping = true;
    wakeUp();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
  }

  private void wakeUp() {
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /**
   * Applies changed settings at run time (KIP-226, as Kafka's cleaner reconfigures): the I/O
   * limit and the backoff take effect at once; a new thread count or dedupe buffer restarts the
   * threads, so a pass under way stops at its next batch and its log is picked again. {@code
   * enabled} and the producer expiry are read at start only.
   */
  public void reconfigure(CleanerSettings changed) {
    synchronized (lifecycle) {
      CleanerSettings old = settings;
      CleanerSettings next = new CleanerSettings(old.enabled(), changed.threads(),
          changed.dedupeBufferBytes(), changed.ioMaxBytesPerSecond(), changed.backoffMs(),
          old.producerIdExpirationMs());
      if (next.equals(old)) {
        return;
      }
      throttler.setRate(next.ioMaxBytesPerSecond());
      boolean restart = running && (next.threads() != old.threads()
          || next.dedupeBufferBytes() != old.dedupeBufferBytes());
      if (restart) {
        stopThreads();
      }
      settings = next;
      if (restart) {
        startThreads();
      } else {
        wakeUp(); // a shorter backoff applies to threads already waiting
      }
      LOG.info("Log cleaner reconfigured: {} thread(s), {} bytes of dedupe buffer, I/O limit {}"
          + " bytes/s, backoff {} ms{}", next.threads(), next.dedupeBufferBytes(),
          next.ioMaxBytesPerSecond() == Double.MAX_VALUE ? "none" : next.ioMaxBytesPerSecond(),
          next.backoffMs(), restart ? " (threads restarted)" : "");
    }
  }

  /** The settings in force. */
  public CleanerSettings settings() {
    return settings;
  }

  /** The cleaner threads alive now (tests). */
  int liveThreads() {
    synchronized (lifecycle) {
      return (int) threads.stream().filter(Thread::isAlive).count();
    }
  }

  /**
   * How clean {@code log} is, for operators (Kafka shows it only as JMX gauges): empty when its
   * policy does not compact.
   */
  public Optional<CleaningStatus> status(PartitionLog log) {
    if (!log.config().cleanupPolicy().compacts()) {
      return Optional.empty();
    }
    double ratio = log.cleanerView()
        .flatMap(view -> CleanableRange.of(log, view, time.milliseconds()))
        .map(CleanableRange::dirtyRatio).orElse(0.0);
    return Optional.of(new CleaningStatus(ratio,
        lastCleaningMs.getOrDefault(log.partition(), CleaningStatus.NEVER),
        log.cleanedOffset(), uncleanable.contains(log.partition())));
  }

  /** Runs one pass on the dirtiest log worth cleaning, on the caller's thread. */
  Optional<CompactionPass.Stats> cleanDirtiest() {
    return new Worker().run(pick());
  }

  /** Runs one pass on {@code log} whatever its dirty ratio, on the caller's thread. */
  Optional<CompactionPass.Stats> clean(PartitionLog log) {
    return new Worker().run(reserve(log));
  }

  /** The highest dirty ratio among compacted logs at the last pick, 0 to 1. */
  public double maxDirtyRatio() {
    return maxDirtyRatio;
  }

  /** Milliseconds since the last pass ended (since the cleaner was made when none has). */
  public long msSinceLastPass() {
    return Math.max(0, time.milliseconds() - lastPassEndMs);
  }

  /** How long the last pass took, in ms; 0 before any. */
  public long lastPassMs() {
    return lastPassMs;
  }

  /** Partitions whose cleaning failed; they are skipped (Kafka's uncleanable-partitions-count). */
  public Set<TopicPartition> uncleanablePartitions() {
    return Set.copyOf(uncleanable);
  }

  /**
   * Registers the cleaner's gauges under Kafka's JMX names: uncleanable-partitions-count and
   * max-dirty-percent (LogCleanerManager), time-since-last-run-ms and max-clean-time-secs (here
   * the last pass's time, in seconds) (LogCleaner).
   */
  public JmxGauge.Registration registerMetrics() {
    return new JmxGauge.Registration()
        .add("kafka.log:type=LogCleanerManager,name=uncleanable-partitions-count",
            () -> uncleanable.size())
        .add("kafka.log:type=LogCleanerManager,name=max-dirty-percent",
            () -> (int) Math.round(maxDirtyRatio * 100))
        .add("kafka.log:type=LogCleaner,name=time-since-last-run-ms", this::msSinceLastPass)
        .add("kafka.log:type=LogCleaner,name=max-clean-time-secs",
            () -> (int) (lastPassMs / 1000));
  }

  /** Forgets a deleted log's uncleanable mark, so a topic created again under the name is cleaned. */
  public void forget(TopicPartition partition) {
    uncleanable.remove(partition);
    lastCleaningMs.remove(partition);
    retryAfterMs.remove(partition);
  }

  private synchronized Optional<CleanableRange> pick() {
    long nowMs = time.milliseconds();
    Optional<CleanableRange> best = Optional.empty();
    double maxRatio = 0;
    for (PartitionLog log : logs.get()) {
      TopicPartition tp = log.partition();
      if (!log.config().cleanupPolicy().compacts() || inProgress.contains(tp)
          || uncleanable.contains(tp) || retryAfterMs.getOrDefault(tp, 0L) > nowMs) {
        continue;
      }
      Optional<CleanableRange> range = log.cleanerView()
          .flatMap(view -> CleanableRange.of(log, view, nowMs));
      maxRatio = Math.max(maxRatio, range.map(CleanableRange::dirtyRatio).orElse(0.0));
      range = range.filter(CleanableRange::worthCleaning);
      if (range.isPresent() && (best.isEmpty()
          || range.get().dirtyRatio() > best.get().dirtyRatio())) {
        best = range;
      }
    }
    best.ifPresent(r -> inProgress.add(partitionOf(r)));
    maxDirtyRatio = maxRatio;
    return best;
  }

  private synchronized Optional<CleanableRange> reserve(PartitionLog log) {
    if (inProgress.contains(log.partition())) {
      return Optional.empty();
    }
    Optional<CleanableRange> range = log.cleanerView()
        .flatMap(view -> CleanableRange.of(log, view, time.milliseconds()));
    range.ifPresent(r -> inProgress.add(log.partition()));
    return range;
  }

  private synchronized void done(CleanableRange range) {
    inProgress.remove(partitionOf(range));
  }

  private static TopicPartition partitionOf(CleanableRange range) {
    return range.log().partition();
  }

  /** One cleaner thread's state: its offset map, sized to the work up to its share of memory. */
  private final class Worker {
    private OffsetMap map;
    private CompactionPass pass;

    void loop() {
      while (running && !stopping) {
        Optional<CompactionPass.Stats> stats = run(pick());
        if (stats.isEmpty() || stats.get().segmentsWritten() == 0) {
          synchronized (idle) {
            if (running && !stopping) {
              try {
                idle.wait(Math.max(1, settings.backoffMs()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
            }
          }
        }
      }
    }

    /** Cleans the range reserved for this worker, if any, and releases it. */
    Optional<CompactionPass.Stats> run(Optional<CleanableRange> picked) {
      if (picked.isEmpty()) {
        return Optional.empty();
      }
      CleanableRange range = picked.get();
      PartitionLog log = range.log();
      try {
        CompactionPass.Stats stats = passFor(range).clean(log, range);
        LOG.info("Cleaned {}: {} segments into {}, {} of {} records kept, {} bytes read, {}"
            + " written in {} ms ({} ms of CPU; dirty ratio was {}, cleaned up to offset {}{})",
            log.partition(), stats.segmentsReplaced(), stats.segmentsWritten(),
            stats.recordsKept(), stats.recordsRead(), stats.bytesRead(), stats.bytesWritten(),
            stats.elapsedNs() / 1_000_000, stats.cpuNs() / 1_000_000,
            String.format("%.2f", range.dirtyRatio()),
            stats.mapEnd(), stats.completed() ? "" : "; stopped: the log changed under it");
        lastPassMs = stats.elapsedNs() / 1_000_000;
        if (stats.completed()) {
          checkpoint.run();
          lastCleaningMs.put(log.partition(), time.milliseconds());
          retryAfterMs.remove(log.partition());
        }
        return Optional.of(stats);
      } catch (KafkaStorageException | ClosedChannelException | CompactionPass.Stopped e) {
        LOG.info("Cleaning of {} stopped: {}", log.partition(), e.toString());
        return Optional.empty();
      } catch (IOException e) {
        // A full disk, most likely: the log's own data is fine, and cleaning is what frees space.
        retryAfterMs.put(log.partition(), time.milliseconds() + IO_RETRY_MS);
        LOG.warn("Cleaning of {} failed on an I/O error ({}); its cleaned copy is deleted, the"
            + " log is left as it was and is tried again in {} s", log.partition(), e.toString(),
            IO_RETRY_MS / 1000);
        return Optional.empty();
      } catch (Exception e) {
        uncleanable.add(log.partition());
        LOG.error("Cleaning of {} failed; it is marked uncleanable and will not be compacted"
            + " until the broker restarts", log.partition(), e);
        return Optional.empty();
      } finally {
        done(range);
        lastPassEndMs = time.milliseconds();
      }
    }

    private CompactionPass passFor(CleanableRange range) {
      long span = range.firstUncleanableOffset() - range.firstDirtyOffset();
      long wanted = Math.min(Math.min(settings.dedupeBytesPerThread(), MAP_BYTES_MAX),
          OffsetMap.bytesFor(span));
      if (map == null || map.memoryBytes() < wanted) {
        map = null; // let the old one go before the new one is allocated
        map = new OffsetMap(wanted);
        pass = new CompactionPass(map, throttler, time, settings.producerIdExpirationMs(),
            () -> stopping);
      }
      return pass;
    }
  }
}
