package io.rill.broker.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of one partition directory at startup. After a clean stop every segment is
 * trusted (only the tail after the last index entry is read to find the log end). After an
 * unclean stop, segments that end past the recovery point are scanned batch by batch ({@link
 * SegmentRecovery}); the first bad byte truncates its segment and every later segment is
 * deleted, because offsets after a hole cannot be trusted. Missing or inconsistent indexes are
 * rebuilt either way. Leftovers of interrupted operations are dealt with first: a cleaner's swap
 * is finished or undone ({@link CleanedSwapRecovery}), then {@code .deleted}, {@code .tmp} and
 * indexes without a log are removed.
 *
 * <p>Called by one thread per partition; touches nothing shared.
 */
final class LogLoader {
  private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

  private LogLoader() {}

  /** A loaded log; {@code cleanShutdown}: its files were closed cleanly and nothing recovered. */
  record Loaded(List<LogSegment> segments, LeaderEpochCache epochs, long recoveryPoint,
      long logStartOffset, boolean cleanShutdown) {}

  static Loaded load(Path dir, TopicPartition partition, LogConfig config,
      long recoveryPointCheckpoint, long logStartCheckpoint, boolean cleanShutdown, Time time)
      throws IOException {
    Files.createDirectories(dir);
    CleanedSwapRecovery.run(dir, partition);
    List<Long> bases = removeStrayFilesAndListBases(dir);
    LeaderEpochCache epochs = LeaderEpochCache.load(dir);
    SegmentRecovery.EpochSink epochSink = epochs::assign;
    List<LogSegment> segments = new ArrayList<>();
    long nowMs = time.milliseconds();
    for (int i = 0; i < bases.size(); i++) {
      long base = bases.get(i);
      long nextBase = i + 1 < bases.size() ? bases.get(i + 1) : Long.MAX_VALUE;
      long fileBytes = Files.size(LogFiles.logFile(dir, base));
      LogSegment segment;
      boolean recover = !cleanShutdown && nextBase > recoveryPointCheckpoint;
      if (recover) {
        segment = LogSegment.create(dir, base, config, nowMs, false);
        int cut = segment.recover(config, nextBase, epochSink);
        LOG.info("Recovered {} of {}: {} bytes valid, {} truncated, next offset {}",
            segment.logFile().getFileName(), partition, segment.sizeInBytes(), cut,
            segment.nextOffset());
      } else {
        segment = LogSegment.open(dir, base, config, nowMs, epochSink);
      }
      segments.add(segment);
      if (segment.sizeInBytes() < fileBytes && i + 1 < bases.size()) {
        deleteLaterSegments(dir, partition, bases.subList(i + 1, bases.size()), base);
        break;
      }
    }
    if (segments.isEmpty()) {
      segments.add(LogSegment.create(dir, Math.max(0, logStartCheckpoint), config, nowMs, true));
    }
    for (int i = 0; i < segments.size() - 1; i++) {
      segments.get(i).becomeInactive();
    }
    LogSegment active = segments.get(segments.size() - 1);
    active.becomeActive(config);
    long logEnd = active.nextOffset();
    long logStart = Math.min(Math.max(logStartCheckpoint, segments.get(0).baseOffset()), logEnd);
    long recoveryPoint = cleanShutdown ? logEnd : Math.min(recoveryPointCheckpoint, logEnd);
    epochs.truncateFromEnd(logEnd);
    epochs.truncateFromStart(logStart);
    return new Loaded(segments, epochs, recoveryPoint, logStart, cleanShutdown);
  }

  private static void deleteLaterSegments(Path dir, TopicPartition partition, List<Long> later,
      long truncatedBase) throws IOException {
    LOG.warn("Deleting {} segments of {} after the truncated segment {}: offsets past a "
        + "corrupt batch cannot be trusted", later.size(), partition,
        LogFiles.baseName(truncatedBase));
    for (long base : later) {
      Files.deleteIfExists(LogFiles.logFile(dir, base));
      Files.deleteIfExists(LogFiles.indexFile(dir, base));
      Files.deleteIfExists(LogFiles.timeIndexFile(dir, base));
    }
  }

  /** Deletes leftovers and returns the base offsets of the .log files, ascending. */
  private static List<Long> removeStrayFilesAndListBases(Path dir) throws IOException {
    List<Long> bases = new ArrayList<>();
    List<Path> indexes = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.endsWith(LogFiles.TMP_SUFFIX)) {
          Files.deleteIfExists(file);
          continue;
        }
        OptionalLong base = LogFiles.parseLogFileBaseOffset(name);
        if (base.isPresent()) {
          bases.add(base.getAsLong());
        } else if (name.endsWith(LogFiles.INDEX_SUFFIX)
            || name.endsWith(LogFiles.TIME_INDEX_SUFFIX)) {
          indexes.add(file);
        }
      }
    }
    for (Path index : indexes) {
      String name = index.getFileName().toString();
      String stem = name.substring(0, name.lastIndexOf('.'));
      if (!Files.exists(dir.resolve(stem + LogFiles.LOG_SUFFIX))) {
        LOG.warn("Deleting index {} that has no log file", index);
        Files.delete(index);
      }
    }
    bases.sort(null);
    return bases;
  }
}
