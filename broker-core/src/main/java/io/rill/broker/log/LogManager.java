package io.rill.broker.log;

import io.rill.broker.metrics.JmxGauge;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log of the broker across its log directories: opens them at startup (in
 * parallel, recovering after an unclean stop), creates and deletes them, runs the periodic
 * retention, flush and checkpoint tasks, writes the per-directory checkpoints and the clean
 * shutdown marker, and takes a directory offline when one of its files fails.
 *
 * <p>Invariants: a partition has at most one log, in one directory; an offline directory's logs
 * stay in the map (so their partitions are known to be offline) but refuse every operation; the
 * clean-shutdown marker exists only while no log of its directory is open.
 *
 * <p>Threads: {@link #startup} and {@link #shutdown} run once, on one thread. Everything else
 * is thread-safe; periodic tasks run on the {@link Scheduler}.
 */
public final class LogManager {
  private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
  private static final String LOCK_FILE = ".lock";

  /** Intervals of the periodic tasks and the size of the startup pool (Kafka's defaults). */
  public record Settings(long retentionCheckIntervalMs, long flushCheckIntervalMs,
      long checkpointIntervalMs, int recoveryThreadsPerDir) {
    public static final Settings DEFAULT = new Settings(300_000L, 1_000L, 60_000L,
        Math.max(1, Runtime.getRuntime().availableProcessors()));

    public Settings {
      Checks.argument(retentionCheckIntervalMs > 0 && flushCheckIntervalMs > 0
          && checkpointIntervalMs > 0 && recoveryThreadsPerDir > 0, "bad settings");
    }
  }

  private final List<Path> logDirs;
  private final Function<String, LogConfig> topicConfigs;
  private final Time time;
  private final Scheduler scheduler;
  private final Settings settings;
  private final LogDirFailures failures = new LogDirFailures();
  private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
  private final Map<Path, FileChannel> locks = new HashMap<>();
  private volatile boolean running;
  private CleanerSettings cleanerSettings = CleanerSettings.DEFAULT;
  private volatile LogCleaner cleaner;
  /** The cleaner's JMX gauges, from startup to shutdown. */
  private JmxGauge.Registration cleanerMetrics = new JmxGauge.Registration();
  /** The cleaner settings last asked for at run time. */
  private final AtomicReference<CleanerSettings> wantedCleanerSettings = new AtomicReference<>();
  /** Serialises writers of the cleaner-offset checkpoints (periodic task and cleaner threads). */
  private final Object cleanerCheckpointLock = new Object();

  /**
   * @param topicConfigs the config of a topic (broker defaults with its overrides)
   */
  public LogManager(List<Path> logDirs, Function<String, LogConfig> topicConfigs, Time time,
      Scheduler scheduler, Settings settings) {
    Checks.argument(!logDirs.isEmpty(), "no log dirs");
    this.logDirs = logDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    Checks.argument(Set.copyOf(this.logDirs).size() == this.logDirs.size(),
        "duplicate log dirs in %s", logDirs);
    this.topicConfigs = topicConfigs;
    this.time = time;
    this.scheduler = scheduler;
    this.settings = settings;
  }

  /** The log cleaner's settings; call before {@link #startup}. */
  public void configureCleaner(CleanerSettings settings) {
    Checks.state(!running, "the cleaner is configured before startup");
    this.cleanerSettings = settings;
  }

  /** Opens every log and starts the periodic tasks. A failing directory goes offline. */
  public void startup() {
    Checks.state(!running, "log manager already started");
    for (Path dir : logDirs) {
      try {
        loadDir(dir);
      } catch (IOException e) {
        failures.markOffline(dir, "startup of log dir " + dir, e);
      }
    }
    running = true;
    cleaner = new LogCleaner(cleanerSettings, logs::values, this::checkpointCleanerOffsets, time);
    cleanerMetrics = cleaner.registerMetrics();
    cleaner.start();
    repeat("log-retention", settings.retentionCheckIntervalMs(), this::runRetention);
    repeat("log-flusher", settings.flushCheckIntervalMs(), this::flushDueLogs);
    repeat("log-checkpoint", settings.checkpointIntervalMs(), this::checkpoint);
  }

  private void repeat(String name, long intervalMs, Runnable task) {
    scheduler.repeat(name, intervalMs, () -> running, task);
  }

  private void loadDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel lock = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lock.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      held = null; // this JVM already holds it
    }
    if (held == null) {
      lock.close();
      throw new IOException("log dir " + dir + " is locked by another process");
    }
    locks.put(dir, lock);
    Path marker = dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE);
    boolean clean = Files.exists(marker);
    // No checkpoint yet: this directory has never held logs, so there was no shutdown at all
    // (issue 15: a first start logged "unclean shutdown").
    boolean fresh = !Files.exists(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT));
    Map<TopicPartition, Long> recoveryPoints = readCheckpointOrEmpty(
        dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT));
    Map<TopicPartition, Long> logStarts = readCheckpointOrEmpty(
        dir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT));
    List<TopicPartition> partitions = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (LogFiles.isDeletedPartitionDir(name)) {
          deleteRecursively(child);
        } else {
          LogFiles.parsePartitionDir(name).ifPresent(partitions::add);
        }
      }
    }
    Map<TopicPartition, Long> cleanedOffsets = readCheckpointOrEmpty(
        dir.resolve(LogFiles.CLEANER_OFFSET_CHECKPOINT));
    long startNs = time.nanoseconds();
    openInParallel(dir, partitions, recoveryPoints, logStarts, clean);
    cleanedOffsets.forEach((tp, offset) -> {
      PartitionLog log = logs.get(tp);
      if (log != null && log.logDir().equals(dir)) {
        log.initCleanedOffset(offset);
      }
    });
    // Only now: a crash during loading must recover again.
    Files.deleteIfExists(marker);
    LogFiles.fsyncDirectory(dir);
    LOG.info("Loaded {} logs from {} ({}) in {} ms", partitions.size(), dir,
        clean ? "clean shutdown" : fresh && partitions.isEmpty() ? "new log directory"
            : "unclean shutdown", (time.nanoseconds() - startNs) / 1_000_000);
  }

  private void openInParallel(Path dir, List<TopicPartition> partitions,
      Map<TopicPartition, Long> recoveryPoints, Map<TopicPartition, Long> logStarts,
      boolean clean) throws IOException {
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(settings.recoveryThreadsPerDir(),
        r -> new Thread(r, "log-recovery-" + ids.getAndIncrement()));
    try {
      List<Future<PartitionLog>> opened = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        opened.add(pool.submit(() -> PartitionLog.open(dir, tp, topicConfigs.apply(tp.topic()),
            recoveryPoints.getOrDefault(tp, 0L), logStarts.getOrDefault(tp, 0L), clean, time,
            scheduler, failures)));
      }
      for (Future<PartitionLog> future : opened) {
        PartitionLog log = future.get();
        log.onCleanedOffsetLowered(this::checkpointCleanerOffsets);
        logs.put(log.partition(), log);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("opening logs in " + dir + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening logs in " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<TopicPartition, Long> readCheckpointOrEmpty(Path file) {
    try {
      return LogFiles.readOffsetCheckpoint(file);
    } catch (IOException e) {
      // Losing a checkpoint costs a full recovery scan, not data: recover everything.
      LOG.warn("Ignoring unreadable checkpoint {}; every log of its dir will be recovered", file,
          e);
      return Map.of();
    }
  }

  /** The log of {@code partition}, if this broker has one. */
  public Optional<PartitionLog> log(TopicPartition partition) {
    return Optional.ofNullable(logs.get(partition));
  }

  public Map<TopicPartition, PartitionLog> logs() {
    return Map.copyOf(logs);
  }

  /** The log of {@code partition}, created in the online dir holding the fewest logs if absent. */
  public PartitionLog getOrCreateLog(TopicPartition partition) {
    synchronized (logs) {
      PartitionLog existing = logs.get(partition);
      if (existing != null) {
        return existing;
      }
      Map<Path, Long> counts = logs.values().stream()
          .collect(Collectors.groupingBy(PartitionLog::logDir, Collectors.counting()));
      Path dir = logDirs.stream().filter(d -> !failures.isOffline(d))
          .min(Comparator.comparingLong(d -> counts.getOrDefault(d, 0L)))
          .orElseThrow(() -> new KafkaStorageException(null, "no online log dir for "
              + partition, null));
      try {
        PartitionLog log = PartitionLog.open(dir, partition,
            topicConfigs.apply(partition.topic()), 0L, 0L, true, time, scheduler, failures);
        log.onCleanedOffsetLowered(this::checkpointCleanerOffsets);
        logs.put(partition, log);
        LOG.info("Created log of {} in {}", partition, dir);
        return log;
      } catch (IOException e) {
        throw failures.markOffline(dir, "creation of the log of " + partition, e);
      }
    }
  }

  /**
   * Deletes the log of {@code partition}: closes it, renames its directory to {@code
   * <tp>.<uuid>-delete} and removes it after {@code file.delete.delay.ms}.
   */
  public void deleteLog(TopicPartition partition) {
    PartitionLog log;
    synchronized (logs) {
      log = logs.remove(partition);
    }
    if (log == null) {
      return;
    }
    Path dir = log.logDir();
    try {
      log.close();
      Path target = LogFiles.deletedPartitionDir(dir, partition);
      Files.move(log.dir(), target);
      LogFiles.fsyncDirectory(dir);
      scheduler.schedule("delete-dir-" + partition, () -> {
        try {
          deleteRecursively(target);
        } catch (IOException e) {
          failures.markOffline(dir, "deletion of " + target, e);
        }
      }, log.config().fileDeleteDelayMs());
      if (cleaner != null) {
        cleaner.forget(partition);
      }
      LOG.info("Deleted log of {} (directory renamed to {})", partition, target.getFileName());
    } catch (IOException e) {
      throw failures.markOffline(dir, "deletion of the log of " + partition, e);
    }
  }

  /**
   * Applies changed cleaner settings at run time (see {@link LogCleaner#reconfigure}) on the
   * scheduler, since restarting the threads waits for their passes to stop; whichever task runs
   * last applies the latest settings asked for.
   */
  public void reconfigureCleaner(CleanerSettings changed) {
    LogCleaner c = cleaner;
    if (c == null) {
      return;
    }
    wantedCleanerSettings.set(changed);
    scheduler.schedule("log-cleaner-reconfigure", () -> {
      if (running) {
        c.reconfigure(wantedCleanerSettings.get());
      }
    }, 0);
  }

  /** How clean {@code log} is; empty when its policy does not compact or before startup. */
  public Optional<CleaningStatus> cleaningStatus(PartitionLog log) {
    return cleaner == null ? Optional.empty() : cleaner.status(log);
  }

  /** The log cleaner (present once started). */
  public Optional<LogCleaner> cleaner() {
    return Optional.ofNullable(cleaner);
  }

  /** Applies a topic-config change to every log of {@code topic}. */
  public void updateTopicConfig(String topic, LogConfig config) {
    logs.values().stream().filter(l -> l.partition().topic().equals(topic))
        .forEach(l -> l.updateConfig(config));
  }

  /** One retention pass over every online log; returns the segments deleted. */
  public int runRetention() {
    int deleted = 0;
    for (PartitionLog log : logs.values()) {
      try {
        deleted += log.deleteRetainedSegments();
      } catch (KafkaStorageException e) {
        LOG.debug("Retention skipped {}: {}", log.partition(), e.getMessage());
      }
    }
    return deleted;
  }

  /** Flushes the logs whose {@code flush.ms} has elapsed. */
  public void flushDueLogs() {
    for (PartitionLog log : logs.values()) {
      try {
        log.flushIfDue();
      } catch (KafkaStorageException e) {
        LOG.debug("Flush skipped {}: {}", log.partition(), e.getMessage());
      }
    }
  }

  /** Writes the recovery-point and log-start-offset checkpoints of every online dir. */
  public void checkpoint() {
    for (Path dir : logDirs) {
      if (failures.isOffline(dir)) {
        continue;
      }
      Map<TopicPartition, Long> recovery = new LinkedHashMap<>();
      Map<TopicPartition, Long> starts = new LinkedHashMap<>();
      for (PartitionLog log : logs.values()) {
        if (log.logDir().equals(dir)) {
          recovery.put(log.partition(), log.recoveryPoint());
          starts.put(log.partition(), log.logStartOffset());
        }
      }
      try {
        LogFiles.writeOffsetCheckpoint(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT), recovery);
        LogFiles.writeOffsetCheckpoint(dir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT), starts);
      } catch (IOException e) {
        failures.markOffline(dir, "checkpoint of " + dir, e);
      }
    }
    checkpointCleanerOffsets();
  }

  /**
   * Writes each online dir's {@code cleaner-offset-checkpoint}: the cleaned offset of every log
   * the cleaner has compacted (Kafka writes it after each cleaning, as the cleaner does here).
   */
  public void checkpointCleanerOffsets() {
    synchronized (cleanerCheckpointLock) {
      for (Path dir : logDirs) {
        if (failures.isOffline(dir)) {
          continue;
        }
        Map<TopicPartition, Long> cleaned = new LinkedHashMap<>();
        for (PartitionLog log : logs.values()) {
          if (log.logDir().equals(dir) && log.cleanedOffset() >= 0) {
            cleaned.put(log.partition(), log.cleanedOffset());
          }
        }
        try {
          LogFiles.writeOffsetCheckpoint(dir.resolve(LogFiles.CLEANER_OFFSET_CHECKPOINT), cleaned);
        } catch (IOException e) {
          failures.markOffline(dir, "cleaner checkpoint of " + dir, e);
        }
      }
    }
  }

  /**
   * Flushes and closes every log, writes the checkpoints and, for each directory that stayed
   * online, the clean-shutdown marker so the next start skips recovery.
   */
  public void shutdown() {
    running = false;
    if (cleaner != null) {
      cleaner.shutdown();
    }
    cleanerMetrics.close();
    for (PartitionLog log : logs.values()) {
      try {
        if (!failures.isOffline(log.logDir())) {
          log.flush();
        }
        log.close();
      } catch (KafkaStorageException e) {
        LOG.warn("Log of {} did not close cleanly: {}", log.partition(), e.getMessage());
      }
    }
    checkpoint();
    for (Path dir : logDirs) {
      if (failures.isOffline(dir)) {
        continue;
      }
      try {
        LogFiles.writeAtomically(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE),
            "{\"version\":0,\"brokerEpoch\":-1}");
      } catch (IOException e) {
        failures.markOffline(dir, "clean-shutdown marker of " + dir, e);
      }
    }
    releaseLocks();
  }

  /** Releases the directory locks; alone (without shutdown) it is what a crash leaves. */
  void releaseLocks() {
    running = false;
    if (cleaner != null) {
      cleaner.shutdown();
    }
    cleanerMetrics.close();
    for (Map.Entry<Path, FileChannel> lock : locks.entrySet()) {
      try {
        lock.getValue().close();
      } catch (IOException e) {
        LOG.warn("Could not release the lock of {}", lock.getKey(), e);
      }
    }
    locks.clear();
  }

  public Set<Path> offlineLogDirs() {
    return failures.offlineDirs();
  }

  /** Whether a log dir has been taken offline after a disk error. */
  public boolean isOffline(Path logDir) {
    return failures.isOffline(logDir);
  }

  public boolean isOffline(TopicPartition partition) {
    PartitionLog log = logs.get(partition);
    return log != null && failures.isOffline(log.logDir());
  }

  /** Partitions whose log is in an offline dir: the broker answers KAFKA_STORAGE_ERROR. */
  public Set<TopicPartition> offlinePartitions() {
    return logs.values().stream().filter(l -> failures.isOffline(l.logDir()))
        .map(PartitionLog::partition).collect(Collectors.toUnmodifiableSet());
  }

  public List<Path> logDirs() {
    return logDirs;
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    }
  }
}
