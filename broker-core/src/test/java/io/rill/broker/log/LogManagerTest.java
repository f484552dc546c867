package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
  static final long T0 = 1_700_000_000_000L;
  @TempDir Path root;
  final MockTime time = new MockTime(T0);
  final ManualScheduler scheduler = new ManualScheduler(time);

  LogManager manager(Path... dirs) {
    return new LogManager(List.of(dirs), topic -> LogConfig.DEFAULT, time, scheduler,
        new LogManager.Settings(1000, 1000, 1000, 2));
  }

  @Test
  void theLoadLineSaysNewThenCleanThenUnclean() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
        new ch.qos.logback.core.read.ListAppender<>();
    captured.start();
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(LogManager.class);
    logger.addAppender(captured);
    try {
      Path dir = root.resolve("fresh");
      LogManager first = manager(dir);
      first.startup();
      first.getOrCreateLog(new TopicPartition("t", 0));
      first.shutdown();
      LogManager second = manager(dir);
      second.startup();
      second.checkpoint();
      second.releaseLocks(); // no shutdown: a crash
      LogManager third = manager(dir);
      third.startup();
      third.shutdown();
      List<String> loads = captured.list.stream().map(e -> e.getFormattedMessage())
          .filter(m -> m.startsWith("Loaded ")).toList();
      assertThat(loads).hasSize(3);
      assertThat(loads.get(0)).contains("Loaded 0 logs", "(new log directory)");
      assertThat(loads.get(1)).contains("Loaded 1 logs", "(clean shutdown)");
      assertThat(loads.get(2)).contains("Loaded 1 logs", "(unclean shutdown)");
    } finally {
      logger.detachAppender(captured);
    }
  }

  @Test
  void cleanShutdownWritesMarkerAndCheckpointsAndRestartSkipsRecovery() throws Exception {
    Path dir = root.resolve("d1");
    LogManager first = manager(dir);
    first.startup();
    for (int p = 0; p < 5; p++) {
      PartitionLog log = first.getOrCreateLog(new TopicPartition("a-b", p));
      log.appendAsLeader(TestBatches.batch(3, 10, T0, p), 0);
    }
    first.log(new TopicPartition("a-b", 2)).orElseThrow().deleteRecordsBefore(2);
    first.shutdown();
    assertThat(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).exists();
    assertThat(LogFiles.readOffsetCheckpoint(dir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT)))
        .hasSize(5).containsEntry(new TopicPartition("a-b", 4), 3L);
    assertThat(Files.readAllLines(dir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT)))
        .startsWith("0", "5").contains("a-b 2 2");

    LogManager second = manager(dir);
    second.startup();
    assertThat(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).doesNotExist();
    assertThat(second.logs()).hasSize(5);
    assertThat(second.log(new TopicPartition("a-b", 2)).orElseThrow().logStartOffset())
        .isEqualTo(2);
    assertThat(second.log(new TopicPartition("a-b", 4)).orElseThrow().logEndOffset())
        .isEqualTo(3);
    second.shutdown();
  }

  @Test
  void newLogsGoToTheLeastLoadedDirAndDeletedLogsVanishAfterTheDelay() throws Exception {
    LogManager manager = manager(root.resolve("d1"), root.resolve("d2"));
    manager.startup();
    for (int p = 0; p < 4; p++) {
      manager.getOrCreateLog(new TopicPartition("t", p));
    }
    assertThat(manager.logs().values()).extracting(PartitionLog::logDir)
        .filteredOn(d -> d.endsWith("d1")).hasSize(2);
    PartitionLog log = manager.log(new TopicPartition("t", 1)).orElseThrow();
    manager.deleteLog(new TopicPartition("t", 1));
    assertThat(log.dir()).doesNotExist();
    assertThat(manager.log(new TopicPartition("t", 1))).isEmpty();
    time.sleep(LogConfig.DEFAULT.fileDeleteDelayMs());
    scheduler.runDue();
    try (var children = Files.list(log.logDir())) {
      assertThat(children.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("t-1"));
    }
    manager.shutdown();
  }

  @Test
  void periodicRetentionRunsOnTheScheduler() throws Exception {
    Path dir = root.resolve("d1");
    LogManager manager = new LogManager(List.of(dir),
        topic -> LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_MS,
            "5000")), time, scheduler, new LogManager.Settings(1000, 1000, 1000, 1));
    manager.startup();
    PartitionLog log = manager.getOrCreateLog(new TopicPartition("r", 0));
    for (int i = 0; i < 4; i++) {
      log.appendAsLeader(TestBatches.batch(2, 100, time.milliseconds(), i), 0);
    }
    assertThat(log.segmentCount()).isEqualTo(4);
    time.sleep(6000);
    scheduler.runDue();
    // Every segment, the active one too, is past retention.ms: all of it goes (issue 15).
    assertThat(log.segmentCount()).isEqualTo(1);
    assertThat(LogFiles.readOffsetCheckpoint(dir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT)))
        .containsEntry(new TopicPartition("r", 0), 8L);
    manager.shutdown();
  }

  @Test
  void uncleanRestartRecoversFromTheRecoveryPoint() throws Exception {
    Path dir = root.resolve("d1");
    LogManager first = manager(dir);
    first.startup();
    PartitionLog log = first.getOrCreateLog(new TopicPartition("u", 0));
    for (int i = 0; i < 5; i++) {
      log.appendAsLeader(TestBatches.batch(2, 10, T0, i), 0);
    }
    first.checkpoint();
    first.releaseLocks(); // no shutdown: a crash
    Path segment = LogFiles.logFile(log.dir(), 0);
    long size = Files.size(segment);
    try (var raf = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
      raf.setLength(size - 3);
    }
    LogManager second = manager(dir);
    second.startup();
    assertThat(second.log(new TopicPartition("u", 0)).orElseThrow().logEndOffset()).isEqualTo(8);
    second.shutdown();
  }

  @Test
  void aDiskErrorTakesTheDirOfflineNotTheProcess() throws Exception {
    Path good = root.resolve("good");
    Path bad = root.resolve("bad");
    LogManager manager = manager(good, bad);
    manager.startup();
    PartitionLog onGood = manager.getOrCreateLog(new TopicPartition("x", 0));
    PartitionLog onBad = manager.getOrCreateLog(new TopicPartition("x", 1));
    assertThat(onBad.logDir()).isEqualTo(bad.toAbsolutePath());
    onBad.appendAsLeader(TestBatches.batch(1, 10, T0, 0), 0);
    // The disk "fails": the partition directory disappears under the open log.
    LogManager.deleteRecursively(onBad.dir());
    assertThatThrownBy(onBad::roll).isInstanceOf(KafkaStorageException.class)
        .hasMessageContaining("x-1").hasMessageContaining("offline");
    assertThat(manager.offlineLogDirs()).containsExactly(bad.toAbsolutePath());
    assertThat(manager.offlinePartitions()).isEqualTo(Set.of(new TopicPartition("x", 1)));
    assertThat(manager.isOffline(new TopicPartition("x", 0))).isFalse();
    assertThatThrownBy(() -> onBad.read(0, 100, Long.MAX_VALUE, true))
        .isInstanceOf(KafkaStorageException.class);
    assertThatThrownBy(() -> onBad.appendAsLeader(TestBatches.batch(1, 10, T0, 0), 0))
        .isInstanceOf(KafkaStorageException.class);
    // The other dir keeps working, and new logs avoid the offline one.
    onGood.appendAsLeader(TestBatches.batch(1, 10, T0, 0), 0);
    assertThat(manager.getOrCreateLog(new TopicPartition("x", 2)).logDir())
        .isEqualTo(good.toAbsolutePath());
    manager.shutdown();
    assertThat(good.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).exists();
    assertThat(bad.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).doesNotExist();
  }

  @Test
  void aSecondManagerCannotOpenALockedDir() throws Exception {
    Path dir = root.resolve("d1");
    LogManager first = manager(dir);
    first.startup();
    LogManager second = manager(dir);
    second.startup();
    assertThat(second.offlineLogDirs()).containsExactly(dir.toAbsolutePath());
    first.shutdown();
  }
}
