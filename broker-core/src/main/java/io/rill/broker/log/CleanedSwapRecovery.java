package io.rill.broker.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a partition directory back to a state without cleaner leftovers before its segments are
 * opened, following the swap protocol of {@link PartitionLog#replaceSegments}:
 *
 * <ul>
 *   <li>{@code *.cleaned}: a cleaning that had not reached its commit point. Deleted: the old
 *       segments are intact.
 *   <li>{@code <base>.log.swap}: a complete, fsynced cleaned segment whose swap had begun. The
 *       swap is finished: every plain segment whose base offset lies in [base, the swap's next
 *       offset) is one it replaces (the cleaner makes a cleaned segment reach into its last
 *       replaced segment, with an empty batch if no record of it survives), so those are
 *       deleted, then the swap files take their final names.
 *   <li>{@code *.index.swap}, {@code *.timeindex.swap} without a {@code .log.swap}: indexes of a
 *       swap that had not reached its commit point. Deleted.
 * </ul>
 *
 * <p>Runs on the thread that loads the partition, before anything else opens its files.
 */
final class CleanedSwapRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CleanedSwapRecovery.class);
  private static final String LOG_SWAP = LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX;

  private CleanedSwapRecovery() {}

  static void run(Path dir, TopicPartition partition) throws IOException {
    TreeSet<Long> swaps = new TreeSet<>();
    List<Path> indexSwaps = new ArrayList<>();
    boolean changed = false;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(LogFiles.CLEANED_SUFFIX)) {
          Files.deleteIfExists(file);
          changed = true;
        } else if (name.endsWith(LOG_SWAP)) {
          OptionalLong base = LogFiles.parseLogFileBaseOffset(
              name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length()));
          if (base.isPresent()) {
            swaps.add(base.getAsLong());
          }
        } else if (name.endsWith(LogFiles.SWAP_SUFFIX)) {
          indexSwaps.add(file);
        }
      }
    }
    for (long base : swaps) {
      complete(dir, partition, base);
      changed = true;
    }
    for (Path index : indexSwaps) {
      String name = index.getFileName().toString();
      String stem = name.substring(0, name.indexOf('.'));
      if (!swaps.contains(Long.parseLong(stem)) && Files.exists(index)) {
        Files.delete(index);
        changed = true;
      }
    }
    if (changed) {
      LogFiles.fsyncDirectory(dir);
    }
  }

  private static void complete(Path dir, TopicPartition partition, long base) throws IOException {
    Path swapLog = LogFiles.withSuffix(LogFiles.logFile(dir, base), LogFiles.SWAP_SUFFIX);
    long nextOffset;
    try (FileChannel channel = FileChannel.open(swapLog, StandardOpenOption.READ)) {
      int bytes = (int) Math.min(channel.size(), Integer.MAX_VALUE);
      nextOffset = SegmentRecovery.scan(channel, swapLog, base, bytes, Long.MAX_VALUE,
          (batch, position) -> { }).nextOffset();
    }
    List<Long> replaced = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        OptionalLong old = LogFiles.parseLogFileBaseOffset(file.getFileName().toString());
        if (old.isPresent() && old.getAsLong() >= base && old.getAsLong() < nextOffset) {
          replaced.add(old.getAsLong());
        }
      }
    }
    for (long old : replaced) {
      Files.deleteIfExists(LogFiles.logFile(dir, old));
      Files.deleteIfExists(LogFiles.indexFile(dir, old));
      Files.deleteIfExists(LogFiles.timeIndexFile(dir, old));
    }
    for (Path index : List.of(LogFiles.indexFile(dir, base), LogFiles.timeIndexFile(dir, base))) {
      Path swapped = LogFiles.withSuffix(index, LogFiles.SWAP_SUFFIX);
      if (Files.exists(swapped)) {
        Files.move(swapped, index, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.move(swapLog, LogFiles.logFile(dir, base), StandardCopyOption.ATOMIC_MOVE);
    LOG.info("Completed the swap of cleaned segment {} of {}: it replaces {} segments up to "
        + "offset {}", LogFiles.baseName(base), partition, replaced.size(), nextOffset);
  }
}
