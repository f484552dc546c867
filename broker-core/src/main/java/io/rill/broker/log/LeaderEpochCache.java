package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The (leader epoch, start offset) history of one partition log, persisted in Kafka's {@code
 * leader-epoch-checkpoint} format: the offset at which each leader epoch's first batch was
 * written. Followers use it (OffsetsForLeaderEpoch, KIP-101/KIP-279) to find where their log
 * diverges from the leader's and truncate there.
 *
 * <p>Invariants: epochs and start offsets both strictly increase along the list; the file on
 * disk equals the list after every mutator returns (written temp→fsync→rename→fsync-dir).
 *
 * <p>Threads: mutated by the partition's writer; queried by any thread. All methods are
 * synchronized: the list is tiny and changes only on leader changes, truncation and recovery.
 */
public final class LeaderEpochCache {
  /** Kafka's "no epoch" answer to OffsetsForLeaderEpoch. */
  public static final int UNDEFINED_EPOCH = -1;
  public static final long UNDEFINED_EPOCH_OFFSET = -1L;

  /** One line of the checkpoint: {@code epoch} began at {@code startOffset}. */
  public record EpochEntry(int epoch, long startOffset) {}

  /** The answer to OffsetsForLeaderEpoch: the end offset of {@code epoch}. */
  public record EpochEndOffset(int epoch, long endOffset) {}

  private final Path checkpointFile;
  private final List<EpochEntry> entries;

  LeaderEpochCache(Path checkpointFile, List<EpochEntry> loaded) {
    this.checkpointFile = checkpointFile;
    this.entries = new ArrayList<>();
    for (EpochEntry entry : loaded) {
      Checks.state(entries.isEmpty() || (entry.epoch() > last().epoch()
          && entry.startOffset() > last().startOffset()),
          "leader epoch checkpoint %s is out of order at %s", checkpointFile, entry);
      entries.add(entry);
    }
  }

  static LeaderEpochCache load(Path partitionDir) throws IOException {
    Path file = partitionDir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT);
    return new LeaderEpochCache(file, LogFiles.readEpochCheckpoint(file));
  }

  private EpochEntry last() {
    return entries.get(entries.size() - 1);
  }

  /**
   * Records that {@code epoch} starts at {@code startOffset}, if it is newer than the latest
   * epoch. Entries starting at or after {@code startOffset} are dropped first, as they describe
   * a history this log no longer has.
   */
  public synchronized void assign(int epoch, long startOffset) throws IOException {
    if (epoch < 0 || (!entries.isEmpty() && epoch <= last().epoch())) {
      return;
    }
    entries.removeIf(e -> e.startOffset() >= startOffset);
    entries.add(new EpochEntry(epoch, startOffset));
    flush();
  }

  /** Drops entries at or after {@code endOffset}: the log was truncated to it. */
  public synchronized void truncateFromEnd(long endOffset) throws IOException {
    if (entries.removeIf(e -> e.startOffset() >= endOffset)) {
      flush();
    }
  }

  /** Drops entries wholly before {@code startOffset}; the earliest kept starts there or later. */
  public synchronized void truncateFromStart(long startOffset) throws IOException {
    boolean changed = false;
    while (entries.size() > 1 && entries.get(1).startOffset() <= startOffset) {
      entries.remove(0);
      changed = true;
    }
    if (!entries.isEmpty() && entries.get(0).startOffset() < startOffset) {
      entries.set(0, new EpochEntry(entries.get(0).epoch(), startOffset));
      changed = true;
    }
    if (changed) {
      flush();
    }
  }

  public synchronized OptionalInt latestEpoch() {
    return entries.isEmpty() ? OptionalInt.empty() : OptionalInt.of(last().epoch());
  }

  /** The epoch of the leader that wrote {@code offset}, or {@link #UNDEFINED_EPOCH}. */
  public synchronized int epochForOffset(long offset) {
    int epoch = UNDEFINED_EPOCH;
    for (EpochEntry entry : entries) {
      if (entry.startOffset() > offset) {
        break;
      }
      epoch = entry.epoch();
    }
    return epoch;
  }

  /**
   * Kafka's OffsetsForLeaderEpoch answer: the largest epoch at or below {@code requestedEpoch}
   * and the offset where the next epoch began (the log end offset for the latest epoch); for
   * an epoch older than every known one, that epoch and the start of the first known one;
   * undefined when nothing is known.
   */
  public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
    if (entries.isEmpty() || requestedEpoch < 0) {
      return new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
    }
    if (requestedEpoch < entries.get(0).epoch()) {
      // Older than anything here: it ended, as far as this log can tell, where our first epoch
      // begins (Kafka's LeaderEpochFileCache answers the same). A replica whose whole log is of
      // a newer epoch than its leader's answer thus truncates all of it.
      return new EpochEndOffset(requestedEpoch, entries.get(0).startOffset());
    }
    if (requestedEpoch >= last().epoch()) {
      return new EpochEndOffset(last().epoch(), logEndOffset);
    }
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).epoch() <= requestedEpoch) {
        return new EpochEndOffset(entries.get(i).epoch(), entries.get(i + 1).startOffset());
      }
    }
    throw new IllegalStateException("unreachable: epoch " + requestedEpoch + " in " + entries);
  }

  public synchronized List<EpochEntry> entries() {
    return List.copyOf(entries);
  }

  private void flush() throws IOException {
    LogFiles.writeEpochCheckpoint(checkpointFile, entries);
  }
}
