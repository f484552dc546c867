package io.rill.broker.log;

import io.rill.broker.log.AppendBatches.Origin;
import io.rill.broker.log.AppendBatches.Summary;
import io.rill.broker.log.LogResults.AppendResult;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.TimestampType;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: an ordered set of {@link LogSegment}s in {@code <topic>-<partition>/},
 * the last of which (the active segment) takes appends.
 *
 * <p>Invariants: {@code logStartOffset <= logEndOffset}; segments are keyed by base offset and
 * their offset ranges do not overlap; the active segment is the last and its next offset is the
 * log end offset; {@code recoveryPoint <= logEndOffset} and every byte below it has been
 * fsynced; the leader-epoch cache holds no entry at or past the log end.
 *
 * <p>Threads: mutators (append, roll, truncate, delete-before, retention, flush, close) hold
 * {@link #lock}, so one writer runs at a time. Readers ({@link #read}, the bounds accessors)
 * take no lock: they read an immutable {@link Snapshot} through a volatile field, published
 * after the bytes it covers are written, and the concurrent segment map. A segment removed by
 * retention or truncation is renamed {@code .deleted} and closed only after {@code
 * file.delete.delay.ms}, so reads already under way finish.
 *
 * <p>Compaction: the {@link LogCleaner} reads inactive segments without the lock (their bytes no
 * longer change) and writes cleaned copies beside them. It takes the lock only to swap a cleaned
 * segment in ({@link #replaceSegments}): the swap checks that no truncation happened since the
 * cleaning began and that every segment it replaces is still in the map and inactive, so a
 * segment that retention deleted or truncation cut meanwhile is never resurrected. Readers
 * holding a replaced segment keep reading it until the delayed delete closes it (a read that
 * meets the closed channel retries against the new map).
 */
public final class PartitionLog {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);
  /** ListOffsets special timestamps (Kafka's). */
  public static final long LATEST_TIMESTAMP = -1L;
  public static final long EARLIEST_TIMESTAMP = -2L;
  public static final long MAX_TIMESTAMP = -3L;
  public static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
  /** A read that meets a segment closed under it retries once against the new segment set. */
  private static final int READ_ATTEMPTS_MAX = 2;

  /** What readers see: the bounds and the active segment's size, consistent with each other. */
  private record Snapshot(long logStartOffset, long logEndOffset, LogSegment active,
      int activeSizeBytes) {}

  private final TopicPartition partition;
  private final Path logDir;
  private final Path dir;
  private final Time time;
  private final Scheduler scheduler;
  private final LogDirFailures failures;
  private final LeaderEpochCache epochs;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final Object lock = new Object();
  private volatile LogConfig config;
  private volatile Snapshot snapshot;
  /** Guarded by lock (written), volatile for checkpointing threads. */
  private volatile long recoveryPoint;
  private long unflushedRecordOffsets;
  private long lastFlushMs;
  private boolean closed;
  private final boolean openedAfterCleanShutdown;
  /**
   * Where the cleaner's dirty section begins: every offset below it was compacted against the
   * keys above it up to there; -1 when never cleaned. Written under the lock (cleaning advances
   * it, truncation lowers it to the new log end), read by checkpointing threads.
   */
  private volatile long cleanedOffset = -1L;
  /** Truncations so far (guarded by lock): a cleaning begun before one may not swap. */
  private long truncations;
  /**
   * The partition's high watermark, bound by the replica layer: the cleaner never maps records
   * at or above it, since a record above it may yet be truncated away and must not be what makes
   * an older committed record of its key go (Kafka cleans below the last stable offset, itself
   * below the high watermark). Unbound (a bare log) it does not limit cleaning.
   */
  private volatile LongSupplier highWatermark = () -> Long.MAX_VALUE;
  /** Writes the cleaner checkpoint; run after a truncation lowered {@link #cleanedOffset}. */
  private volatile Runnable cleanedOffsetLowered = () -> { };
  /** Told of each file operation of a swap before it happens; crash tests stop there. */
  private volatile SwapSteps swapSteps = SwapSteps.NONE;

  /** An observer of the file operations of {@link #replaceSegments}, one call before each. */
  interface SwapSteps {
    void before(String step);

    SwapSteps NONE = step -> { };
  }

  private PartitionLog(TopicPartition partition, Path logDir, LogConfig config, Time time,
      Scheduler scheduler, LogDirFailures failures, LogLoader.Loaded loaded) {
    this.partition = partition;
    this.logDir = logDir;
    this.dir = LogFiles.partitionDir(logDir, partition);
    this.config = config;
    this.time = time;
    this.scheduler = scheduler;
    this.failures = failures;
    this.epochs = loaded.epochs();
    for (LogSegment segment : loaded.segments()) {
      segments.put(segment.baseOffset(), segment);
    }
    this.recoveryPoint = loaded.recoveryPoint();
    this.openedAfterCleanShutdown = loaded.cleanShutdown();
    this.lastFlushMs = time.milliseconds();
    LogSegment active = segments.lastEntry().getValue();
    this.snapshot = new Snapshot(loaded.logStartOffset(), active.nextOffset(), active,
        active.sizeInBytes());
  }

  /**
   * Opens (creating if absent) the log of {@code partition} under {@code logDir}, recovering
   * segments past {@code recoveryPoint} unless {@code cleanShutdown}.
   *
   * @throws IOException when the directory cannot be read or written; the caller takes the log
   *     dir offline
   */
  public static PartitionLog open(Path logDir, TopicPartition partition, LogConfig config,
      long recoveryPoint, long logStartOffset, boolean cleanShutdown, Time time,
      Scheduler scheduler, LogDirFailures failures) throws IOException {
    LogLoader.Loaded loaded = LogLoader.load(LogFiles.partitionDir(logDir, partition), partition,
        config, recoveryPoint, logStartOffset, cleanShutdown, time);
    return new PartitionLog(partition, logDir, config, time, scheduler, failures, loaded);
  }

  /**
   * Appends a producer's batches: validates them, assigns offsets from the log end and the
   * leader epoch in place (and LogAppendTime when configured), rolling first if needed.
   *
   * @throws io.rill.protocol.record.InvalidRecordException CORRUPT_MESSAGE
   * @throws RecordTooLargeException MESSAGE_TOO_LARGE
   * @throws InvalidTimestampException INVALID_TIMESTAMP
   * @throws KafkaStorageException KAFKA_STORAGE_ERROR
   */
  public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch) {
    LogConfig cfg = config;
    Summary summary = AppendBatches.validate(batches, cfg, Origin.LEADER, time.milliseconds(),
        partition);
    synchronized (lock) {
      ensureWritable();
      long nowMs = time.milliseconds();
      long firstOffset = snapshot.logEndOffset();
      long maxTimestamp = AppendBatches.stampAsLeader(batches, firstOffset, leaderEpoch,
          cfg.messageTimestampType(), nowMs);
      long lastOffset = firstOffset + summary.recordOffsets() - 1;
      try {
        epochs.assign(leaderEpoch, firstOffset);
        append(batches, summary, firstOffset, lastOffset, maxTimestamp, nowMs);
      } catch (IOException e) {
        throw failed("append at offset " + firstOffset, e);
      }
      long appendTime = cfg.messageTimestampType() == TimestampType.LOG_APPEND_TIME ? nowMs : -1;
      return new AppendResult(firstOffset, lastOffset, appendTime, snapshot.logStartOffset());
    }
  }

  /**
   * Records that {@code leaderEpoch} starts at the current log end offset: this replica has just
   * become its leader (Kafka's {@code Partition.makeLeader}), so a follower that asks where an
   * older epoch ended learns it before this leader has appended anything.
   */
  public void assignLeaderEpoch(int leaderEpoch) {
    synchronized (lock) {
      ensureWritable();
      try {
        epochs.assign(leaderEpoch, snapshot.logEndOffset());
      } catch (IOException e) {
        throw failed("recording leader epoch " + leaderEpoch, e);
      }
    }
  }

  /**
   * Appends batches copied from the leader, keeping their offsets and epochs; the first must
   * start at or after the log end offset.
   */
  public AppendResult appendAsFollower(ByteBuffer batches) {
    Summary summary = AppendBatches.validate(batches, config, Origin.REPLICATION,
        time.milliseconds(), partition);
    synchronized (lock) {
      ensureWritable();
      long logEnd = snapshot.logEndOffset();
      if (summary.firstBaseOffset() < logEnd) {
        throw new io.rill.protocol.record.InvalidRecordException("replicated batch at offset "
            + summary.firstBaseOffset() + " is below the log end offset " + logEnd + " of "
            + partition);
      }
      try {
        RecordBatch batch = RecordBatch.at(batches, batches.position());
        for (int p = batches.position(); p < batches.limit(); p += batch.sizeInBytes()) {
          batch.moveTo(batches, p);
          epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
        }
        append(batches, summary, summary.firstBaseOffset(), summary.lastOffset(),
            summary.maxTimestamp(), time.milliseconds());
      } catch (IOException e) {
        throw failed("replicated append at offset " + summary.firstBaseOffset(), e);
      }
      return new AppendResult(summary.firstBaseOffset(), summary.lastOffset(), -1,
          snapshot.logStartOffset());
    }
  }

  private void append(ByteBuffer batches, Summary summary, long firstOffset, long lastOffset,
      long maxTimestamp, long nowMs) throws IOException {
    LogConfig cfg = config;
    LogSegment active = snapshot.active();
    if (firstOffset - active.baseOffset() > Integer.MAX_VALUE
        || active.shouldRoll(cfg, summary.bytes(), summary.batchCount(), lastOffset,
            maxTimestamp, nowMs)) {
      active = rollTo(firstOffset);
    }
    active.append(batches);
    publish(snapshot.logStartOffset());
    unflushedRecordOffsets += summary.recordOffsets();
    if (unflushedRecordOffsets >= cfg.flushMessages()) {
      flushUpTo(snapshot.logEndOffset());
    }
  }

  /** Rolls a new active segment at the log end offset unless the active one is empty. */
  public void roll() {
    synchronized (lock) {
      ensureWritable();
      try {
        rollTo(snapshot.logEndOffset());
        publish(snapshot.logStartOffset());
      } catch (IOException e) {
        throw failed("roll at offset " + snapshot.logEndOffset(), e);
      }
    }
  }

  private LogSegment rollTo(long baseOffset) throws IOException {
    LogSegment old = snapshot.active();
    if (old.sizeInBytes() == 0) {
      if (old.baseOffset() == baseOffset) {
        return old;
      }
      Checks.state(segments.size() == 1 || baseOffset > old.baseOffset(),
          "roll of %s to %s below the empty active segment %s", partition, baseOffset, old);
      removeSegments(List.of(old), "replaced by a roll to " + baseOffset);
    } else {
      old.becomeInactive();
    }
    LogSegment next = LogSegment.create(dir, baseOffset, config, time.milliseconds(), true);
    next.becomeActive(config);
    segments.put(baseOffset, next);
    LOG.debug("Rolled {} to a new segment at {}", partition, baseOffset);
    return next;
  }

  /**
   * Reads whole batches starting with the one holding {@code startOffset}.
   *
   * @param maxBytes stop before the first batch that would end past this many bytes
   * @param offsetUpperBound return only batches ending below this offset (e.g. the high
   *     watermark); {@code Long.MAX_VALUE} for the log end
   * @param minOneBatch return the first batch even if it is larger than {@code maxBytes}
   * @throws OffsetOutOfRangeException OFFSET_OUT_OF_RANGE
   */
  public ReadResult read(long startOffset, int maxBytes, long offsetUpperBound,
      boolean minOneBatch) {
    Checks.argument(maxBytes >= 0, "negative maxBytes %s", maxBytes);
    for (int attempt = 1; ; attempt++) {
      Snapshot s = snapshot;
      failures.ensureOnline(logDir, partition);
      if (startOffset < s.logStartOffset() || startOffset > s.logEndOffset()) {
        throw new OffsetOutOfRangeException(partition, startOffset, s.logStartOffset(),
            s.logEndOffset());
      }
      try {
        return new LogRead(s.active(), s.activeSizeBytes(), s.logEndOffset(), segments)
            .read(startOffset, maxBytes, Math.min(offsetUpperBound, s.logEndOffset()),
                minOneBatch)
            .map(region -> new ReadResult(region, s.logStartOffset(), s.logEndOffset()))
            .orElseGet(() -> new ReadResult(new FileRegion(s.active().channel(), 0, 0),
                s.logStartOffset(), s.logEndOffset()));
      } catch (ClosedChannelException e) {
        if (attempt >= READ_ATTEMPTS_MAX) {
          throw new KafkaStorageException(logDir, "read of " + partition + " at " + startOffset
              + " met closed segments twice", e);
        }
      } catch (IOException e) {
        throw failed("read at offset " + startOffset, e);
      }
    }
  }

  /**
   * ListOffsets: the earliest (-2, -4), latest (-1) or max-timestamp (-3) offset, or the first
   * record whose timestamp is at or after {@code timestamp}; empty when none reaches it. The
   * indexes find the batch, {@link RecordTimestamps} the record within it.
   */
  public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
    synchronized (lock) {
      ensureWritable();
      Snapshot s = snapshot;
      try {
        Optional<TimestampOffset> coarse = ListOffsets.lookup(timestamp, segments.values(),
            s.logStartOffset(), s.logEndOffset(), epochs);
        if (coarse.isEmpty()) {
          return coarse;
        }
        if (timestamp == MAX_TIMESTAMP) {
          return Optional.of(RecordTimestamps.firstWithMaxTimestamp(
              read(coarse.get().offset(), 1, Long.MAX_VALUE, true).records(), coarse.get()));
        }
        if (timestamp >= 0) {
          return Optional.of(RecordTimestamps.firstAtOrAfter(
              read(coarse.get().offset(), 1, Long.MAX_VALUE, true).records(), timestamp,
              s.logStartOffset(), coarse.get()));
        }
        return coarse;
      } catch (IOException e) {
        throw failed("ListOffsets lookup of timestamp " + timestamp, e);
      }
    }
  }

  /**
   * Removes every batch whose last offset is at or past {@code targetOffset}, and every leader
   * epoch that starts there or later, as a follower does when its log diverged from the
   * leader's. A batch that straddles the target is removed
   * whole, so the new log end offset may be below {@code targetOffset}. Below the log start
   * offset the log is emptied and restarted at {@code targetOffset}.
   */
  public void truncateTo(long targetOffset) {
    Checks.argument(targetOffset >= 0, "negative truncation offset %s", targetOffset);
    long cleanedBefore = cleanedOffset;
    try {
      truncateToUnderLock(targetOffset);
    } finally {
      notifyIfCleanedOffsetLowered(cleanedBefore);
    }
  }

  private void truncateToUnderLock(long targetOffset) {
    synchronized (lock) {
      ensureWritable();
      Snapshot s = snapshot;
      try {
        if (targetOffset >= s.logEndOffset()) {
          // No data to remove, but an epoch that begins here has no batches: a replica that
          // led it without appending must forget it, or it would keep claiming that epoch.
          epochs.truncateFromEnd(targetOffset);
          return;
        }
        if (targetOffset < s.logStartOffset()) {
          truncateFullyAndStartAtLocked(targetOffset);
          return;
        }
        noteTruncation(targetOffset);
        removeSegments(new ArrayList<>(segments.tailMap(targetOffset, false).values()),
            "truncation to " + targetOffset);
        LogSegment active = segments.lastEntry().getValue();
        active.truncateTo(targetOffset);
        active.becomeActive(config);
        if (active.nextOffset() < s.logStartOffset()) {
          truncateFullyAndStartAtLocked(s.logStartOffset());
          return;
        }
        snapshot = new Snapshot(s.logStartOffset(), active.nextOffset(), active,
            active.sizeInBytes());
        recoveryPoint = Math.min(recoveryPoint, active.nextOffset());
        cleanedOffset = Math.min(cleanedOffset, active.nextOffset());
        epochs.truncateFromEnd(active.nextOffset());
        LOG.info("Truncated {} to {}: log end offset now {}", partition, targetOffset,
            active.nextOffset());
      } catch (IOException e) {
        throw failed("truncation to " + targetOffset, e);
      }
    }
  }

  /** Deletes every segment and restarts the log, empty, at {@code newOffset}. */
  public void truncateFullyAndStartAt(long newOffset) {
    Checks.argument(newOffset >= 0, "negative offset %s", newOffset);
    long cleanedBefore = cleanedOffset;
    try {
      synchronized (lock) {
        ensureWritable();
        try {
          truncateFullyAndStartAtLocked(newOffset);
        } catch (IOException e) {
          throw failed("restart at " + newOffset, e);
        }
      }
    } finally {
      notifyIfCleanedOffsetLowered(cleanedBefore);
    }
  }

  /**
   * After a truncation, outside the lock: a lowered cleaned offset goes to the checkpoint at
   * once (as Kafka's truncation does), or a crash would bring back the old one, and records
   * appended after the truncation below it would count as compacted when they are not.
   */
  private void notifyIfCleanedOffsetLowered(long cleanedBefore) {
    if (cleanedOffset < cleanedBefore) {
      cleanedOffsetLowered.run();
    }
  }

  private void truncateFullyAndStartAtLocked(long newOffset) throws IOException {
    noteTruncation(-1L);
    List<LogSegment> all = new ArrayList<>(segments.values());
    LogSegment fresh = LogSegment.create(dir, newOffset, config, time.milliseconds(), true);
    fresh.becomeActive(config);
    for (LogSegment segment : all) {
      segments.remove(segment.baseOffset(), segment);
    }
    segments.put(newOffset, fresh);
    removeSegments(all.stream().filter(seg -> seg != fresh).toList(), "restart at " + newOffset);
    snapshot = new Snapshot(newOffset, newOffset, fresh, 0);
    recoveryPoint = newOffset;
    epochs.truncateFromEnd(Long.MIN_VALUE);
    LOG.info("Emptied {} and restarted it at offset {}", partition, newOffset);
  }

  /**
   * DeleteRecords: raises the log start offset to {@code offset} (at most the log end offset)
   * and deletes the segments wholly below it. Returns the log start offset after the call.
   */
  public long deleteRecordsBefore(long offset) {
    synchronized (lock) {
      ensureWritable();
      Snapshot s = snapshot;
      if (offset > s.logEndOffset()) {
        throw new OffsetOutOfRangeException(partition, offset, s.logStartOffset(),
            s.logEndOffset());
      }
      if (offset <= s.logStartOffset()) {
        return s.logStartOffset();
      }
      try {
        epochs.truncateFromStart(offset);
        publish(offset);
        deleteSegmentsBelowLogStart();
      } catch (IOException e) {
        throw failed("delete records before " + offset, e);
      }
      return snapshot.logStartOffset();
    }
  }

  /**
   * The retention pass: deletes whole segments that are older than {@code retention.ms}, that
   * push the log past {@code retention.bytes}, or that lie wholly below the log start offset
   * (see {@link RetentionPolicy}: an expired active segment is rolled first, then deleted).
   *
   * @return the number of segments deleted
   */
  public int deleteRetainedSegments() {
    synchronized (lock) {
      if (closed || failures.isOffline(logDir)) {
        return 0;
      }
      try {
        return RetentionPolicy.apply(this, config, time.milliseconds());
      } catch (IOException e) {
        throw failed("retention", e);
      }
    }
  }

  /** Deletes the oldest {@code count} segments (all inactive) and raises the log start. */
  void deleteOldestSegments(int count, String reason) throws IOException {
    List<LogSegment> victims = new ArrayList<>(segments.values()).subList(0, count);
    Checks.state(!victims.contains(snapshot.active()), "retention would delete the active "
        + "segment of %s", partition);
    removeSegments(victims, reason);
    long newStart = Math.max(snapshot.logStartOffset(), segments.firstKey());
    epochs.truncateFromStart(newStart);
    publish(newStart);
  }

  /** Whether the active segment holds data and all of it is older than {@code retentionMs}. */
  boolean activeSegmentExpired(long nowMs, long retentionMs) throws IOException {
    LogSegment active = snapshot.active();
    return active.sizeInBytes() > 0 && nowMs - active.largestTimestamp() > retentionMs;
  }

  /**
   * Rolls an empty active segment at the log end so retention may delete the old one: the
   * segments before the new active one then hold the whole log. Writer only, under the lock.
   */
  void rollForRetention() throws IOException {
    rollTo(snapshot.logEndOffset());
    publish(snapshot.logStartOffset());
  }

  /** Inactive segments, oldest first: what retention may delete. Writer only. */
  List<LogSegment> inactiveSegments() {
    List<LogSegment> all = new ArrayList<>(segments.values());
    return all.subList(0, all.size() - 1);
  }

  /** Deletes inactive segments wholly below the log start offset; returns how many. */
  int deleteSegmentsBelowLogStart() throws IOException {
    List<LogSegment> inactive = inactiveSegments();
    int count = 0;
    while (count < inactive.size()) {
      long nextBase = count + 1 < inactive.size() ? inactive.get(count + 1).baseOffset()
          : activeBaseOffset();
      if (nextBase > snapshot.logStartOffset()) {
        break;
      }
      count++;
    }
    if (count > 0) {
      deleteOldestSegments(count, "below log start offset " + snapshot.logStartOffset());
    }
    return count;
  }

  long activeBaseOffset() {
    return segments.lastKey();
  }

  /** Unlinks segments from the map, renames their files and deletes them after a delay. */
  private void removeSegments(List<LogSegment> victims, String reason) throws IOException {
    long delayMs = config.fileDeleteDelayMs();
    for (LogSegment segment : victims) {
      segments.remove(segment.baseOffset(), segment);
      segment.renameForDeletion();
      LOG.info("Deleting segment {} of {} ({})", segment.logFile().getFileName(), partition,
          reason);
      scheduler.schedule("delete-" + partition + "-" + segment.baseOffset(), () -> {
        try {
          segment.closeAndDelete();
        } catch (IOException e) {
          failures.markOffline(logDir, "deletion of " + segment.logFile(), e);
        }
      }, delayMs);
    }
  }

  /** Under the lock: a cleaning under way is void, and what was cleaned above {@code offset}. */
  private void noteTruncation(long offset) {
    truncations++;
    cleanedOffset = Math.min(cleanedOffset, offset);
  }

  /** The segments a cleaning pass works from, taken at one moment under the lock. */
  record CleanerView(List<LogSegment> inactive, long logStartOffset, long activeBaseOffset,
      long highWatermark, long cleanedOffset, long truncations, LogConfig config) {}

  /** What the cleaner sees of this log now; empty when the log is closed or offline. */
  Optional<CleanerView> cleanerView() {
    synchronized (lock) {
      if (closed || failures.isOffline(logDir)) {
        return Optional.empty();
      }
      return Optional.of(new CleanerView(List.copyOf(inactiveSegments()),
          snapshot.logStartOffset(), activeBaseOffset(), highWatermark.getAsLong(),
          cleanedOffset, truncations, config));
    }
  }

  /**
   * Swaps {@code cleaned} (complete, fsynced, its files named {@code .cleaned}) in for {@code
   * old}, consecutive inactive segments whose first has the same base offset. Kafka's protocol,
   * so that a kill -9 at any step recovers to the old segments or the new one, never a mix: the
   * rename of the cleaned log file to {@code .swap} is the commit point ({@link
   * CleanedSwapRecovery} finishes a swap it finds at the next start and deletes {@code
   * .cleaned} files); then the old segments leave the map and are renamed {@code .deleted}
   * (deleted after {@code file.delete.delay.ms}, so running reads finish); last the swap files
   * take their final names.
   *
   * @return false, changing nothing, when the log was truncated since {@code truncationsSeen},
   *     or an old segment is no longer in the map or has become the active one
   */
  boolean replaceSegments(List<LogSegment> old, LogSegment cleaned, long truncationsSeen) {
    Checks.argument(!old.isEmpty() && old.get(0).baseOffset() == cleaned.baseOffset(),
        "cleaned segment %s does not start the replaced %s", cleaned, old);
    synchronized (lock) {
      if (closed || failures.isOffline(logDir) || truncations != truncationsSeen) {
        return false;
      }
      for (LogSegment segment : old) {
        if (segments.get(segment.baseOffset()) != segment || segment == snapshot.active()) {
          return false;
        }
      }
      SwapSteps steps = swapSteps;
      try {
        cleaned.renameSuffix(LogFiles.CLEANED_SUFFIX, LogFiles.SWAP_SUFFIX, steps);
        steps.before("fsync of the directory after .swap");
        LogFiles.fsyncDirectory(dir);
        segments.put(cleaned.baseOffset(), cleaned); // replaces old[0]: no gap for readers
        for (LogSegment segment : old) {
          steps.before("rename of " + segment.logFile().getFileName() + " to .deleted");
          removeSegments(List.of(segment), "replaced by its cleaned copy");
        }
        cleaned.renameSuffix(LogFiles.SWAP_SUFFIX, "", steps);
        steps.before("fsync of the directory after the swap");
        LogFiles.fsyncDirectory(dir);
      } catch (IOException e) {
        throw failed("swap of cleaned segment " + cleaned.baseOffset(), e);
      }
      return true;
    }
  }

  /**
   * Records that the log is compacted below {@code offset} unless a truncation happened since
   * {@code truncationsSeen} (then the pass's result is void). Returns whether it was recorded.
   */
  boolean advanceCleanedOffset(long offset, long truncationsSeen) {
    synchronized (lock) {
      if (truncations != truncationsSeen) {
        return false;
      }
      cleanedOffset = Math.max(cleanedOffset, Math.min(offset, snapshot.logEndOffset()));
      return true;
    }
  }

  /** Binds the partition's high watermark, which bounds what the cleaner may map. */
  public void bindHighWatermark(LongSupplier highWatermark) {
    this.highWatermark = highWatermark;
  }

  /** What writes the cleaner checkpoint, for truncations to call (the log manager's). */
  void onCleanedOffsetLowered(Runnable checkpoint) {
    this.cleanedOffsetLowered = checkpoint;
  }

  void swapSteps(SwapSteps steps) {
    this.swapSteps = steps;
  }

  /** Where the cleaner's dirty section starts (its checkpoint); -1 when never cleaned. */
  public long cleanedOffset() {
    return cleanedOffset;
  }

  /** Sets the cleaner checkpoint read at startup (capped at the log end). */
  void initCleanedOffset(long offset) {
    synchronized (lock) {
      cleanedOffset = Math.min(offset, snapshot.logEndOffset());
    }
  }

  /** Makes everything appended so far durable and advances the recovery point. */
  public void flush() {
    flush(Long.MAX_VALUE);
  }

  /** Fsyncs the segments holding offsets below {@code offset} (capped at the log end). */
  public void flush(long offset) {
    synchronized (lock) {
      ensureWritable();
      try {
        flushUpTo(Math.min(offset, snapshot.logEndOffset()));
      } catch (IOException e) {
        throw failed("flush up to " + offset, e);
      }
    }
  }

  /** The {@code flush.ms} policy: flushes when the last flush is older than that. */
  public void flushIfDue() {
    synchronized (lock) {
      if (closed || failures.isOffline(logDir)
          || time.milliseconds() - lastFlushMs < config.flushMs()) {
        return;
      }
      try {
        flushUpTo(snapshot.logEndOffset());
      } catch (IOException e) {
        throw failed("scheduled flush", e);
      }
    }
  }

  private void flushUpTo(long offset) throws IOException {
    if (offset > recoveryPoint) {
      Long from = segments.floorKey(recoveryPoint);
      for (LogSegment segment : segments.tailMap(from == null ? 0 : from, true).values()) {
        if (segment.baseOffset() >= offset && segment.baseOffset() > recoveryPoint) {
          break;
        }
        segment.flush();
      }
      recoveryPoint = offset;
    }
    if (offset >= snapshot.logEndOffset()) {
      unflushedRecordOffsets = 0;
    }
    lastFlushMs = time.milliseconds();
  }

  /** Applies a topic-config change to later appends, rolls and retention passes. */
  public void updateConfig(LogConfig newConfig) {
    this.config = newConfig;
  }

  /** Trims the indexes and closes every file; the log is unusable afterwards. */
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      IOException first = null;
      for (LogSegment segment : segments.values()) {
        try {
          segment.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw failures.markOffline(logDir, "close of " + partition, first);
      }
    }
  }

  private void publish(long logStartOffset) {
    LogSegment active = segments.lastEntry().getValue();
    snapshot = new Snapshot(logStartOffset, active.nextOffset(), active, active.sizeInBytes());
  }

  private void ensureWritable() {
    Checks.state(!closed, "log of %s is closed", partition);
    failures.ensureOnline(logDir, partition);
  }

  private KafkaStorageException failed(String what, IOException e) {
    return failures.markOffline(logDir, what + " of " + partition + " in " + dir, e);
  }

  public TopicPartition partition() {
    return partition;
  }

  public Path logDir() {
    return logDir;
  }

  public Path dir() {
    return dir;
  }

  public LogConfig config() {
    return config;
  }

  public long logStartOffset() {
    return snapshot.logStartOffset();
  }

  /**
   * Whether this log was opened after a clean shutdown of its log dir: its files are as the last
   * process left them when it stopped cleanly, and so are the files it wrote beside them then.
   */
  public boolean openedAfterCleanShutdown() {
    return openedAfterCleanShutdown;
  }

  public long logEndOffset() {
    return snapshot.logEndOffset();
  }

  /** Every offset below this is on disk (fsynced): where recovery starts after a crash. */
  public long recoveryPoint() {
    return recoveryPoint;
  }

  public LeaderEpochCache leaderEpochCache() {
    return epochs;
  }

  public int segmentCount() {
    return segments.size();
  }

  /** Bytes of all segments. */
  public long sizeInBytes() {
    long total = 0;
    for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
      total += entry.getValue().sizeInBytes();
    }
    return total;
  }

  /** Base offsets of the segments, ascending (for tests and tools). */
  public List<Long> segmentBaseOffsets() {
    return List.copyOf(segments.keySet());
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }
}
