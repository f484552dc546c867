package io.rill.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The one owner of every on-disk name and of the text checkpoint formats, all Kafka's own so
 * that Kafka's tools read our directories:
 *
 * <pre>
 * &lt;log dir&gt;/
 *   .kafka_cleanshutdown                 present only between a clean stop and the next start
 *   recovery-point-offset-checkpoint     "0\n&lt;n&gt;\n" then n lines "topic partition offset"
 *   log-start-offset-checkpoint          same format
 *   replication-offset-checkpoint        same format: each partition's high watermark
 *   cleaner-offset-checkpoint            same format: where each compacted log's dirty part starts
 *   &lt;topic&gt;-&lt;partition&gt;/
 *     00000000000000000000.log           record batches, offsets assigned, CRC intact
 *     00000000000000000000.index         (relative offset int32, position int32)*
 *     00000000000000000000.timeindex     (timestamp int64, relative offset int32)*
 *     leader-epoch-checkpoint            "0\n&lt;n&gt;\n" then n lines "epoch startOffset"
 *     *.deleted                          a segment file awaiting asynchronous deletion
 *     *.cleaned                          a segment the cleaner is writing (deleted at start)
 *     *.swap                             a cleaned segment replacing old ones (completed at start)
 *   &lt;topic&gt;-&lt;partition&gt;.&lt;uuid&gt;-delete/  a deleted partition awaiting removal
 * </pre>
 *
 * <p>Checkpoints are small and rewritten whole: temp file, fsync, atomic rename, fsync of the
 * directory, so a crash leaves either the old or the new file, never a torn one.
 */
public final class LogFiles {
  public static final String LOG_SUFFIX = ".log";
  public static final String INDEX_SUFFIX = ".index";
  public static final String TIME_INDEX_SUFFIX = ".timeindex";
  public static final String DELETED_SUFFIX = ".deleted";
  public static final String TMP_SUFFIX = ".tmp";
  /** A segment the cleaner is still writing: garbage after a crash. */
  public static final String CLEANED_SUFFIX = ".cleaned";
  /** A complete cleaned segment whose swap for the old ones had begun: finished after a crash. */
  public static final String SWAP_SUFFIX = ".swap";
  /** Where each compacted log of the dir has been cleaned up to (Kafka's name and format). */
  public static final String CLEANER_OFFSET_CHECKPOINT = "cleaner-offset-checkpoint";
  public static final String DELETE_DIR_SUFFIX = "-delete";
  public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
  public static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
  public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";
  /** The high watermark of each partition in the dir (Kafka's name and format). */
  public static final String REPLICATION_OFFSET_CHECKPOINT = "replication-offset-checkpoint";
  public static final String LEADER_EPOCH_CHECKPOINT = "leader-epoch-checkpoint";
  /** A partition's idempotent-producer state, written at a clean shutdown (Rill's own format). */
  public static final String PRODUCER_STATE_FILE = "rill-producer-state";
  /** The only checkpoint version Kafka writes. */
  static final int CHECKPOINT_VERSION = 0;
  private static final int OFFSET_DIGITS = 20;
  /** A checkpoint longer than this many entries is malformed, not large. */
  private static final int CHECKPOINT_ENTRIES_MAX = 10_000_000;

  private LogFiles() {}

  /** The 20-digit zero-padded base offset every segment file is named by. */
  public static String baseName(long baseOffset) {
    String digits = Long.toString(baseOffset);
    return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
  }

  public static Path logFile(Path partitionDir, long baseOffset) {
    return partitionDir.resolve(baseName(baseOffset) + LOG_SUFFIX);
  }

  public static Path indexFile(Path partitionDir, long baseOffset) {
    return partitionDir.resolve(baseName(baseOffset) + INDEX_SUFFIX);
  }

  public static Path timeIndexFile(Path partitionDir, long baseOffset) {
    return partitionDir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
  }

  /** {@code file} with {@code .deleted} appended: the name a segment file has while it awaits deletion. */
  public static Path deletedName(Path file) {
    return file.resolveSibling(file.getFileName() + DELETED_SUFFIX);
  }

  /** {@code file} with {@code suffix} appended ({@code .cleaned}, {@code .swap}). */
  public static Path withSuffix(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  /** {@code file} without its trailing {@code suffix}, which it must have. */
  public static Path withoutSuffix(Path file, String suffix) {
    String name = file.getFileName().toString();
    if (!name.endsWith(suffix)) {
      throw new IllegalArgumentException(file + " does not end with " + suffix);
    }
    return file.resolveSibling(name.substring(0, name.length() - suffix.length()));
  }

  /** The base offset of a {@code %020d.log} file name, or empty for any other name. */
  public static OptionalLong parseLogFileBaseOffset(String fileName) {
    if (!fileName.endsWith(LOG_SUFFIX)
        || fileName.length() != OFFSET_DIGITS + LOG_SUFFIX.length()) {
      return OptionalLong.empty();
    }
    String digits = fileName.substring(0, OFFSET_DIGITS);
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(digits));
  }

  public static Path partitionDir(Path logDir, TopicPartition partition) {
    return logDir.resolve(partition.topic() + "-" + partition.partition());
  }

  /** The partition a directory named {@code <topic>-<partition>} holds, or empty. */
  public static Optional<TopicPartition> parsePartitionDir(String dirName) {
    int dash = dirName.lastIndexOf('-');
    if (dash <= 0 || dash == dirName.length() - 1 || dirName.endsWith(DELETE_DIR_SUFFIX)) {
      return Optional.empty();
    }
    String number = dirName.substring(dash + 1);
    for (int i = 0; i < number.length(); i++) {
      if (!Character.isDigit(number.charAt(i))) {
        return Optional.empty();
      }
    }
    if (number.length() > 9) {
      return Optional.empty();
    }
    return Optional.of(new TopicPartition(dirName.substring(0, dash), Integer.parseInt(number)));
  }

  /** A unique name a deleted partition's directory is renamed to before it is removed. */
  public static Path deletedPartitionDir(Path logDir, TopicPartition partition) {
    String uuid = UUID.randomUUID().toString().replace("-", "");
    return logDir.resolve(partition + "." + uuid + DELETE_DIR_SUFFIX);
  }

  public static boolean isDeletedPartitionDir(String dirName) {
    return dirName.endsWith(DELETE_DIR_SUFFIX);
  }

  /** Writes {@code content} durably: temp file, fsync, atomic rename, fsync of the directory. */
  public static void writeAtomically(Path file, String content) throws IOException {
    writeAtomically(file, StandardCharsets.UTF_8.encode(content), true);
  }

  /**
   * Replaces {@code file} with {@code bytes} through a temporary file and a rename, so a reader
   * sees the old content or the new, never a mix; {@code durable} also syncs the file and the
   * rename before returning (without it, a crash may leave the old file, or a torn new one).
   */
  public static void writeAtomically(Path file, ByteBuffer bytes, boolean durable)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (durable) {
        channel.force(true);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (durable) {
      fsyncDirectory(file.getParent());
    }
  }

  /** Makes a rename or a create in {@code dir} durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Writes a per-log-dir offset checkpoint ("topic partition offset" lines). */
  public static void writeOffsetCheckpoint(Path file, Map<TopicPartition, Long> offsets)
      throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(CHECKPOINT_VERSION).append('\n').append(offsets.size()).append('\n');
    offsets.forEach((tp, offset) ->
        text.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(offset)
            .append('\n'));
    writeAtomically(file, text.toString());
  }

  /**
   * Reads a per-log-dir offset checkpoint; a missing file is empty.
   *
   * @throws IOException when the file is unreadable or malformed (message names file and line)
   */
  public static Map<TopicPartition, Long> readOffsetCheckpoint(Path file) throws IOException {
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (String[] fields : readCheckpoint(file, 3)) {
      try {
        offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])),
            Long.parseLong(fields[2]));
      } catch (IllegalArgumentException e) {
        throw new IOException("malformed entry " + String.join(" ", fields) + " in " + file, e);
      }
    }
    return offsets;
  }

  /** Writes a leader-epoch checkpoint ("epoch startOffset" lines). */
  public static void writeEpochCheckpoint(Path file, List<LeaderEpochCache.EpochEntry> entries)
      throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(CHECKPOINT_VERSION).append('\n').append(entries.size()).append('\n');
    for (LeaderEpochCache.EpochEntry entry : entries) {
      text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
    }
    writeAtomically(file, text.toString());
  }

  /** Reads a leader-epoch checkpoint; a missing file is empty. */
  public static List<LeaderEpochCache.EpochEntry> readEpochCheckpoint(Path file)
      throws IOException {
    List<LeaderEpochCache.EpochEntry> entries = new ArrayList<>();
    for (String[] fields : readCheckpoint(file, 2)) {
      try {
        entries.add(new LeaderEpochCache.EpochEntry(Integer.parseInt(fields[0]),
            Long.parseLong(fields[1])));
      } catch (IllegalArgumentException e) {
        throw new IOException("malformed entry " + String.join(" ", fields) + " in " + file, e);
      }
    }
    return entries;
  }

  private static List<String[]> readCheckpoint(Path file, int fieldCount) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).trim().equals(Integer.toString(CHECKPOINT_VERSION))) {
      throw new IOException("malformed checkpoint header in " + file + ": " + lines);
    }
    int count;
    try {
      count = Integer.parseInt(lines.get(1).trim());
    } catch (NumberFormatException e) {
      throw new IOException("malformed entry count in " + file, e);
    }
    if (count < 0 || count > CHECKPOINT_ENTRIES_MAX || lines.size() < 2 + count) {
      throw new IOException("checkpoint " + file + " promises " + count + " entries, holds "
          + (lines.size() - 2));
    }
    List<String[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String[] fields = lines.get(2 + i).trim().split(" ");
      if (fields.length != fieldCount) {
        throw new IOException("line " + (3 + i) + " of " + file + " has " + fields.length
            + " fields, expected " + fieldCount);
      }
      rows.add(fields);
    }
    return rows;
  }
}
