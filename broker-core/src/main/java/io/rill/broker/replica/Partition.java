package io.rill.broker.replica;

import io.rill.broker.log.FileRegion;
import io.rill.broker.log.LeaderEpochCache;
import io.rill.broker.log.LogFiles;
import io.rill.broker.log.LogResults.AppendResult;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.LogResults.TimestampOffset;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.producer.ProducerStateManager;
import io.rill.broker.producer.ProducerStateManager.Verdict;
import io.rill.protocol.Errors;
import io.rill.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica on this broker: its log, its idempotent-producer state, what the
 * metadata says of it (leader, leader epoch, ISR, partition epoch) and, while it leads, what it
 * knows of its followers ({@link FollowerTracker}).
 *
 * <p>Invariants: {@code logStartOffset <= highWatermark <= logEndOffset}. As leader the high
 * watermark is the smallest log end over the ISR (an expansion in flight counts already) and
 * only grows within the leader's epoch; as follower it is the leader's, capped at this log's
 * end. Consumers never read at or past it. A new leader epoch starts at this log's end, and is
 * recorded there before any append (leader-epoch-checkpoint). At most one ISR change is in
 * flight.
 *
 * <p>Threads: appends, follower-fetch bookkeeping, leadership changes and truncation hold
 * {@link #appendLock}, so the producer-state check, the log append and the producer-state update
 * are one step and a leadership change never interleaves with an append; reads take no lock and
 * see the log's and this object's volatile state. Leadership changes come from the metadata
 * loader thread, follower appends from a replica fetcher thread.
 */
public final class Partition {
  private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
  /** Leadership as the latest metadata image (or an accepted AlterPartition) states it. */
  public record LeaderState(int leader, int leaderEpoch, List<Integer> isr,
      List<Integer> replicas, int partitionEpoch) {
    public LeaderState {
      isr = List.copyOf(isr);
      replicas = List.copyOf(replicas);
    }

    LeaderState withIsr(List<Integer> newIsr, int newPartitionEpoch) {
      return new LeaderState(leader, leaderEpoch, newIsr, replicas, newPartitionEpoch);
    }
  }

  /** What a leader answers a follower's fetch for this partition. */
  public record FollowerRead(Errors error, FileRegion records, long highWatermark,
      long logStartOffset, int divergingEpoch, long divergingEndOffset) {
    static FollowerRead error(Errors error) {
      return new FollowerRead(error, null, -1, -1, -1, -1);
    }

    public boolean diverged() {
      return divergingEpoch >= 0 || divergingEndOffset >= 0;
    }
  }

  private final TopicPartition topicPartition;
  private final int localNodeId;
  private final PartitionLog log;
  private final ProducerStateManager producers = new ProducerStateManager();
  private final Object appendLock = new Object();
  private volatile UUID topicId;
  private volatile LeaderState leaderState;
  private volatile long highWatermark;
  /** Leader only, guarded by appendLock: the followers' progress. */
  private final FollowerTracker followers = new FollowerTracker();
  /** Leader only, guarded by appendLock: where this leader's epoch began in the log. */
  private long leaderEpochStartOffset;
  /** Leader only, guarded by appendLock: the ISR of an AlterPartition in flight, if any. */
  private List<Integer> pendingIsr;

  /**
   * A replica on this broker. {@code checkpointedHighWatermark} is the high watermark this
   * broker last wrote (replication-offset-checkpoint), or -1: then nothing beyond the log start
   * counts as committed until the ISR says so (a leader alone in its ISR advances it at once).
   */
  Partition(TopicPartition topicPartition, int localNodeId, PartitionLog log, UUID topicId,
      long checkpointedHighWatermark) {
    this.topicPartition = topicPartition;
    this.localNodeId = localNodeId;
    this.log = log;
    this.topicId = topicId;
    this.leaderState = new LeaderState(-1, -1, List.of(), List.of(), -1);
    loadProducerState();
    this.highWatermark = Math.max(log.logStartOffset(),
        Math.min(checkpointedHighWatermark, log.logEndOffset()));
    log.bindHighWatermark(this::highWatermark);
  }

  /**
   * The producer state at start-up: the snapshot the last clean shutdown wrote, when this log was
   * opened after that clean shutdown and the snapshot is whole and taken at this log end;
   * otherwise replayed from the log. The snapshot is deleted once read: it describes only this
   * start.
   */
  private void loadProducerState() {
    Path file = log.dir().resolve(LogFiles.PRODUCER_STATE_FILE);
    boolean restored = false;
    try {
      if (log.openedAfterCleanShutdown() && Files.exists(file)) {
        producers.restore(ByteBuffer.wrap(Files.readAllBytes(file)), log.logEndOffset());
        restored = true;
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Producer state snapshot of {} not used ({}); replaying the log", topicPartition,
          e.getMessage());
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file, e.toString());
    }
    if (!restored) {
      rebuildProducerState();
    }
  }

  /**
   * Writes the producer state, as of the log end, beside the log for the next start (a clean
   * shutdown, after the last append). Not synced: the next start trusts it only after the log dir's
   * clean-shutdown marker, written and synced later, and only when whole and at the log end.
   */
  void writeProducerStateSnapshot() throws IOException {
    synchronized (appendLock) {
      LogFiles.writeAtomically(log.dir().resolve(LogFiles.PRODUCER_STATE_FILE),
          producers.snapshot(log.logEndOffset()), false);
    }
  }

  /** Replays the batch headers of the whole log into the producer state (after a restart). */
  private void rebuildProducerState() {
    producers.clear();
    long offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
      ReadResult read = log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true);
      long next = BatchHeaders.forEach(read.records(),
          (batch, base) -> producers.record(batch, base, batch.maxTimestamp()));
      if (next <= offset) {
        break;
      }
      offset = next;
    }
  }

  /**
   * Applies what the metadata says of this partition. Returns true when this replica has just
   * become leader or a new leader epoch began (the caller then stops fetching it and completes
   * waiting requests); a follower's fetching is the caller's business too.
   */
  boolean applyLeadership(UUID id, LeaderState state, long nowMs) {
    synchronized (appendLock) {
      this.topicId = id;
      LeaderState previous = leaderState;
      boolean newEpoch = previous.leader() != state.leader()
          || previous.leaderEpoch() != state.leaderEpoch();
      if (!newEpoch && state.partitionEpoch() < previous.partitionEpoch()) {
        return false; // an AlterPartition answer already took us past this image
      }
      leaderState = state;
      if (state.leader() != localNodeId) {
        pendingIsr = null;
        return false;
      }
      if (newEpoch) {
        log.assignLeaderEpoch(state.leaderEpoch());
        leaderEpochStartOffset = log.logEndOffset();
        followers.reset(state.replicas(), state.isr(), localNodeId, nowMs);
        pendingIsr = null;
        LOG.info("{}: leader in epoch {} from offset {} (ISR {}, high watermark {})",
            topicPartition, state.leaderEpoch(), leaderEpochStartOffset, state.isr(),
            highWatermark);
      } else {
        followers.updateReplicas(state.replicas(), localNodeId);
        if (pendingIsr != null && pendingIsr.equals(state.isr())) {
          pendingIsr = null;
        }
      }
      maybeAdvanceHighWatermarkLocked();
      return newEpoch;
    }
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  public UUID topicId() {
    return topicId;
  }

  public LeaderState leaderState() {
    return leaderState;
  }

  public boolean isLeader() {
    return leaderState.leader() == localNodeId;
  }

  public int leaderEpoch() {
    return leaderState.leaderEpoch();
  }

  public long highWatermark() {
    return highWatermark;
  }

  public long logStartOffset() {
    return log.logStartOffset();
  }

  public long logEndOffset() {
    return log.logEndOffset();
  }

  PartitionLog log() {
    return log;
  }

  ProducerStateManager producers() {
    return producers;
  }

  /**
   * Appends a producer's batches as leader. Retries of batches already written get their
   * original offsets back without a second copy; out-of-sequence and fenced producers are
   * refused; everything else goes to the log with offsets and the leader epoch assigned.
   *
   * @throws RuntimeException from the log (corrupt batch, too large, storage error): the caller
   *     maps it to the partition's error code
   */
  ProduceOutcome appendAsLeader(ByteBuffer records, int requiredAcks, int minInsyncReplicas) {
    LeaderState state = leaderState;
    if (state.leader() != localNodeId) {
      return ProduceOutcome.error(Errors.NOT_LEADER_OR_FOLLOWER,
          "this broker does not lead " + topicPartition);
    }
    if (requiredAcks == -1 && state.isr().size() < minInsyncReplicas) {
      return ProduceOutcome.error(Errors.NOT_ENOUGH_REPLICAS, "ISR " + state.isr()
          + " is smaller than min.insync.replicas " + minInsyncReplicas);
    }
    synchronized (appendLock) {
      RecordBatch first = RecordBatch.at(records, records.position());
      if (records.remaining() >= RecordBatch.RECORD_BATCH_OVERHEAD) {
        Verdict verdict = producers.check(first);
        if (verdict instanceof Verdict.Duplicate d) {
          return new ProduceOutcome(Errors.NONE, d.original().firstOffset(), -1L,
              log.logStartOffset(), null, d.original().lastOffset());
        }
        if (verdict instanceof Verdict.Reject r) {
          return ProduceOutcome.error(r.error(), r.message());
        }
      }
      AppendResult appended = log.appendAsLeader(records, state.leaderEpoch());
      recordProducerBatches(records, appended.firstOffset());
      maybeAdvanceHighWatermarkLocked();
      return new ProduceOutcome(Errors.NONE, appended.firstOffset(), appended.logAppendTimeMs(),
          appended.logStartOffset(), null, appended.lastOffset());
    }
  }

  private void recordProducerBatches(ByteBuffer records, long firstOffset) {
    RecordBatch batch = RecordBatch.at(records, records.position());
    int position = records.position();
    while (position < records.limit()) {
      batch.moveTo(records, position);
      producers.record(batch, batch.baseOffset(), batch.maxTimestamp());
      position += batch.sizeInBytes();
    }
  }

  /**
   * Raises the high watermark to the smallest log end over this leader and its ISR (the ISR of
   * an expansion in flight counts already: stricter, and safe if it is refused). Returns
   * whether it moved. Caller holds appendLock.
   */
  private boolean maybeAdvanceHighWatermarkLocked() {
    LeaderState state = leaderState;
    if (state.leader() != localNodeId) {
      return false;
    }
    List<Integer> isr = pendingIsr != null && pendingIsr.size() > state.isr().size()
        ? pendingIsr : state.isr();
    long next = followers.highWatermark(isr, localNodeId, log.logEndOffset(), highWatermark);
    if (next > highWatermark) {
      highWatermark = next;
      return true;
    }
    return false;
  }

  /**
   * A follower's fetch, on the leader: the divergence check (KIP-279/KIP-595: a follower whose
   * last fetched epoch ended earlier here gets that epoch's end and no records), then records up
   * to the log end; the follower's progress is recorded, which may raise the high watermark.
   */
  FollowerRead readForFollower(int replicaId, long fetchOffset, int lastFetchedEpoch,
      int maxBytes, long nowMs) {
    LeaderState state = leaderState;
    if (state.leader() != localNodeId) {
      return FollowerRead.error(Errors.NOT_LEADER_OR_FOLLOWER);
    }
    long leaderEnd = log.logEndOffset();
    if (lastFetchedEpoch >= 0) {
      LeaderEpochCache cache = log.leaderEpochCache();
      List<LeaderEpochCache.EpochEntry> epochs = cache.entries();
      long earliestEpochStart = epochs.isEmpty() ? leaderEnd : epochs.get(0).startOffset();
      Divergence.Answer answer = Divergence.leaderCheck(
          cache.endOffsetFor(lastFetchedEpoch, leaderEnd), lastFetchedEpoch, fetchOffset,
          log.logStartOffset(), earliestEpochStart);
      switch (answer.verdict()) {
        case OUT_OF_RANGE -> {
          return new FollowerRead(Errors.OFFSET_OUT_OF_RANGE, null, highWatermark,
              log.logStartOffset(), -1, -1);
        }
        case DIVERGED -> {
          return new FollowerRead(Errors.NONE, null, highWatermark, log.logStartOffset(),
              answer.epoch(), answer.endOffset());
        }
        case READ -> { }
      }
    }
    if (fetchOffset > leaderEnd || fetchOffset < log.logStartOffset()) {
      return new FollowerRead(Errors.OFFSET_OUT_OF_RANGE, null, highWatermark,
          log.logStartOffset(), -1, -1);
    }
    ReadResult read = log.read(fetchOffset, maxBytes, leaderEnd, true);
    synchronized (appendLock) {
      if (!followers.knows(replicaId)) {
        return FollowerRead.error(Errors.NOT_LEADER_OR_FOLLOWER);
      }
      followers.onFetch(replicaId, fetchOffset, leaderEnd, nowMs);
      maybeAdvanceHighWatermarkLocked();
      return new FollowerRead(Errors.NONE, read.records(), highWatermark, read.logStartOffset(),
          -1, -1);
    }
  }

  /**
   * The ISR this leader should propose now, if any and none is in flight: without followers
   * that fell out of sync, or with a follower that has caught up. {@code eligible} says whether
   * a broker may join (registered, unfenced, not shutting down: KIP-841).
   */
  Optional<List<Integer>> isrChangeToPropose(long nowMs, long lagMaxMs,
      java.util.function.IntPredicate eligible) {
    synchronized (appendLock) {
      LeaderState state = leaderState;
      if (state.leader() != localNodeId || pendingIsr != null) {
        return Optional.empty();
      }
      List<Integer> out = followers.outOfSync(state.isr(), localNodeId, log.logEndOffset(),
          nowMs, lagMaxMs);
      if (!out.isEmpty()) {
        List<Integer> shrunk = new java.util.ArrayList<>(state.isr());
        shrunk.removeAll(out);
        pendingIsr = List.copyOf(shrunk);
        return Optional.of(pendingIsr);
      }
      for (int r : state.replicas()) {
        if (!state.isr().contains(r) && eligible.test(r)
            && followers.mayJoinIsr(r, highWatermark, leaderEpochStartOffset)) {
          List<Integer> grown = new java.util.ArrayList<>(state.isr());
          grown.add(r);
          pendingIsr = List.copyOf(grown);
          return Optional.of(pendingIsr);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * The controller's answer to the proposal: an accepted ISR in this leader epoch becomes ours
   * at once (the metadata confirms it later); a refusal drops the proposal. Returns whether the
   * high watermark moved.
   */
  boolean isrChangeAnswered(int leaderEpoch, int partitionEpoch, List<Integer> isr,
      boolean accepted) {
    synchronized (appendLock) {
      pendingIsr = null;
      LeaderState state = leaderState;
      if (accepted && state.leader() == localNodeId && state.leaderEpoch() == leaderEpoch
          && partitionEpoch > state.partitionEpoch()) {
        leaderState = state.withIsr(isr, partitionEpoch);
        LOG.info("{}: ISR now {} (partition epoch {})", topicPartition, isr, partitionEpoch);
      }
      return maybeAdvanceHighWatermarkLocked();
    }
  }

  /** Whether the ISR still has at least {@code minInsync} members (acks=all after the append). */
  boolean hasMinIsr(int minInsync) {
    return leaderState.isr().size() >= minInsync;
  }

  // ---- follower side -----------------------------------------------------------------------

  /** Appends batches fetched from the leader, byte for byte, and learns their producers. */
  void appendAsFollower(ByteBuffer records) {
    synchronized (appendLock) {
      AppendResult appended = log.appendAsFollower(records.duplicate());
      recordProducerBatches(records, appended.firstOffset());
    }
  }

  /** The leader's high watermark, as far as this follower's log reaches. */
  void updateFollowerHighWatermark(long leaderHighWatermark) {
    highWatermark = Math.max(log.logStartOffset(),
        Math.min(leaderHighWatermark, log.logEndOffset()));
  }

  /**
   * Truncates a divergent tail (never by the high watermark alone: KIP-101), given the leader's
   * end of {@code leaderEpoch}: to that end if this log has the epoch too, else to the end of
   * its own largest earlier epoch (the next fetch asks again, KIP-279). Returns the new log end.
   */
  long truncateOnDivergence(int leaderEpoch, long leaderEndOffset) {
    synchronized (appendLock) {
      long leo = log.logEndOffset();
      long target = Divergence.truncationPoint(leaderEpoch, leaderEndOffset,
          log.leaderEpochCache().endOffsetFor(leaderEpoch, leo), leo);
      if (target < leo) {
        LOG.info("{}: truncating a divergent tail {}..{} (leader's epoch {} ends at {})",
            topicPartition, target, leo, leaderEpoch, leaderEndOffset);
      }
      log.truncateTo(target);
      if (target < leo) {
        rebuildProducerState();
        highWatermark = Math.min(highWatermark, log.logEndOffset());
      }
      return log.logEndOffset();
    }
  }

  /** The leader no longer has our offsets: start over empty at its log start. */
  void truncateFullyAndStartAt(long offset) {
    synchronized (appendLock) {
      log.truncateFullyAndStartAt(offset);
      producers.clear();
      highWatermark = offset;
    }
  }

  /** The epoch of this log's last batch (what a follower reports as its last fetched epoch). */
  int lastFetchedEpoch() {
    return log.leaderEpochCache().latestEpoch().orElse(-1);
  }

  /** A consumer's read: whole batches from {@code offset}, never at or past the watermark. */
  ReadResult readCommitted(long offset, int maxBytes, boolean minOneBatch) {
    return log.read(offset, maxBytes, highWatermark, minOneBatch);
  }

  /**
   * Whole batches from {@code offset} up to the log end, past the high watermark: for a new
   * leader's group coordinator, whose high watermark may still lag the old leader's although
   * everything in its log is now the partition's history (Kafka loads to the log end too).
   */
  public ReadResult readToLogEnd(long offset, int maxBytes) {
    return log.read(offset, maxBytes, log.logEndOffset(), true);
  }

  /** An empty region, for partitions that have nothing to return. */
  FileRegion emptyRegion() {
    return readCommitted(log.logEndOffset(), 0, false).records();
  }

  public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
    return log.offsetForTimestamp(timestamp);
  }

  /** DeleteRecords: moves the log start up to {@code offset} (-1: the high watermark). */
  public long deleteRecordsBefore(long offset) {
    long target = offset == -1 ? highWatermark : offset;
    if (target > highWatermark || target < 0) {
      throw new IllegalArgumentException("offset " + offset + " is beyond the high watermark "
          + highWatermark);
    }
    return log.deleteRecordsBefore(target);
  }

  public LeaderEpochCache.EpochEndOffset endOffsetForEpoch(int epoch) {
    return log.leaderEpochCache().endOffsetFor(epoch, log.logEndOffset());
  }
}
