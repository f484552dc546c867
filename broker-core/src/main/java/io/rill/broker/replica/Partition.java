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
 * One partition replica on this broker: its log, its idempotent-producer state, and what the
 * metadata says of it (leader, leader epoch, ISR).
 *
 * <p>Invariants: {@code logStartOffset <= highWatermark <= logEndOffset}; the high watermark
 * only grows while this replica leads; consumers never read at or past it. With an ISR of this
 * replica alone the high watermark follows the log end at every append (durability then rests
 * on this node's disk alone, as in Kafka with one replica).
 *
 * <p>Threads: appends hold {@link #appendLock} so the producer-state check, the log append and
 * the producer-state update are one step; reads take no lock and see the log's and this
 * object's volatile state. Leadership changes come from the metadata publisher thread.
 */
public final class Partition {
  private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
  /** Leadership as the latest metadata image states it. */
  public record LeaderState(int leader, int leaderEpoch, List<Integer> isr,
      List<Integer> replicas) {}

  private final TopicPartition topicPartition;
  private final int localNodeId;
  private final PartitionLog log;
  private final ProducerStateManager producers = new ProducerStateManager();
  private final Object appendLock = new Object();
  private volatile UUID topicId;
  private volatile LeaderState leaderState;
  private volatile long highWatermark;

  Partition(TopicPartition topicPartition, int localNodeId, PartitionLog log, UUID topicId,
      LeaderState state) {
    this.topicPartition = topicPartition;
    this.localNodeId = localNodeId;
    this.log = log;
    this.topicId = topicId;
    this.leaderState = state;
    loadProducerState();
    this.highWatermark = log.logEndOffset();
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

  void updateLeadership(UUID id, LeaderState state) {
    this.topicId = id;
    this.leaderState = state;
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
              log.logStartOffset(), null);
        }
        if (verdict instanceof Verdict.Reject r) {
          return ProduceOutcome.error(r.error(), r.message());
        }
      }
      AppendResult appended = log.appendAsLeader(records, state.leaderEpoch());
      recordProducerBatches(records, appended.firstOffset());
      maybeAdvanceHighWatermark();
      return new ProduceOutcome(Errors.NONE, appended.firstOffset(), appended.logAppendTimeMs(),
          appended.logStartOffset(), null);
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
   * The high watermark. Until followers replicate (no replica fetchers yet), a partition's data
   * lives on its leader only, so the leader's own log end is all there is to commit: the README
   * says so in its "Not yet" list. With fetchers it becomes the smallest log end of the ISR.
   */
  private void maybeAdvanceHighWatermark() {
    highWatermark = Math.max(highWatermark, log.logEndOffset());
  }

  /** A consumer's read: whole batches from {@code offset}, never at or past the watermark. */
  ReadResult readCommitted(long offset, int maxBytes, boolean minOneBatch) {
    return log.read(offset, maxBytes, highWatermark, minOneBatch);
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
