package io.rill.broker.producer;

import io.rill.protocol.Errors;
import io.rill.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The idempotent-producer state of one partition: for each producer id, its epoch and last
 * five batches (KIP-98). Before a batch is appended, {@link #check} decides whether it is new
 * and in sequence, a retry of a batch already written (answered with the original offsets), out
 * of order, or from a fenced epoch; after the append, {@link #record} remembers it.
 *
 * <p>Rules, per (producer id, partition):
 *
 * <ul>
 *   <li>An epoch lower than the current one is fenced: INVALID_PRODUCER_EPOCH.
 *   <li>A higher epoch resets the sequence: its first batch must start at sequence 0.
 *   <li>Within an epoch a batch must start right after the last sequence (wrapping at
 *       Integer.MAX_VALUE); a batch equal to one of the last five is a duplicate.
 *   <li>An unknown producer must start at sequence 0 — otherwise OUT_OF_ORDER_SEQUENCE_NUMBER.
 * </ul>
 *
 * <p>Thread ownership: {@link #check} and {@link #record} are called by the partition's single
 * appending thread with the partition's append lock held; other methods synchronise on this.
 * State is rebuilt after a restart by replaying the batch headers of the log ({@link #record}
 * in offset order), so it survives a crash exactly as the log does.
 */
public final class ProducerStateManager {
  private final Map<Long, ProducerEntry> producers = new HashMap<>();

  /** The outcome of checking one batch against the state. */
  public sealed interface Verdict {
    /** New and in sequence (or not idempotent): append it. */
    record Append() implements Verdict {}

    /** A retry of a batch already in the log: answer with its original offsets, append nothing. */
    record Duplicate(BatchMetadata original) implements Verdict {}

    /** Refused with a Kafka error. */
    record Reject(Errors error, String message) implements Verdict {}
  }

  private static final Verdict APPEND = new Verdict.Append();

  public synchronized Verdict check(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return APPEND;
    }
    long pid = batch.producerId();
    short epoch = batch.producerEpoch();
    int firstSeq = batch.baseSequence();
    ProducerEntry entry = producers.get(pid);
    if (entry == null) {
      // No state for this producer (it expired, retention deleted its batches, or this replica
      // never saw them): accept whatever sequence it carries, as Kafka does. Refusing with
      // OUT_OF_ORDER_SEQUENCE_NUMBER is fatal to librdkafka (Redpanda shipped that bug too).
      return APPEND;
    }
    if (epoch < entry.epoch) {
      return reject(Errors.INVALID_PRODUCER_EPOCH,
          "producer " + pid + " epoch " + epoch + " is older than the current " + entry.epoch);
    }
    if (epoch > entry.epoch) {
      return firstSeq == 0 ? APPEND : reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
          "producer " + pid + " new epoch " + epoch + " must start at sequence 0, not "
              + firstSeq);
    }
    BatchMetadata duplicate = entry.findDuplicate(firstSeq, batch.lastSequence());
    if (duplicate != null) {
      return new Verdict.Duplicate(duplicate);
    }
    int lastSeq = entry.lastSeq();
    if (!inSequence(lastSeq, firstSeq)) {
      return reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + pid + " sent sequence "
          + firstSeq + " after " + lastSeq);
    }
    return APPEND;
  }

  /** Whether {@code next} directly follows {@code last}; sequences wrap to 0 after MAX_VALUE. */
  static boolean inSequence(int last, int next) {
    return last == -1 ? next == 0 : next == (last == Integer.MAX_VALUE ? 0 : last + 1);
  }

  private static Verdict reject(Errors error, String message) {
    return new Verdict.Reject(error, message);
  }

  /** Remembers a batch written at {@code baseOffset} (also used to replay the log). */
  public synchronized void record(RecordBatch batch, long baseOffset, long timestampMs) {
    if (!batch.hasProducerId()) {
      return;
    }
    ProducerEntry entry = producers.computeIfAbsent(batch.producerId(),
        pid -> new ProducerEntry(batch.producerEpoch()));
    if (batch.producerEpoch() > entry.epoch) {
      entry.resetForEpoch(batch.producerEpoch());
    }
    entry.add(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), baseOffset,
        baseOffset + batch.lastOffsetDelta(), timestampMs));
  }

  /** Forgets producers idle since before {@code nowMs - expirationMs}. */
  public synchronized int expire(long nowMs, long expirationMs) {
    int removed = 0;
    for (Iterator<ProducerEntry> it = producers.values().iterator(); it.hasNext(); ) {
      if (nowMs - it.next().lastTimestampMs > expirationMs) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  /** The state as the bytes of a snapshot at {@code endOffset} ({@link ProducerStateSnapshot}). */
  public synchronized ByteBuffer snapshot(long endOffset) {
    return ProducerStateSnapshot.encode(endOffset, producers);
  }

  /**
   * Replaces the state with a snapshot's, if {@code bytes} are a snapshot taken at {@code
   * endOffset}; otherwise leaves it as it was.
   *
   * @return the number of producers restored
   * @throws IllegalArgumentException naming why the bytes are not such a snapshot
   */
  public synchronized int restore(ByteBuffer bytes, long endOffset) {
    Map<Long, ProducerEntry> restored = ProducerStateSnapshot.decode(bytes, endOffset);
    producers.clear();
    producers.putAll(restored);
    return restored.size();
  }

  /** Drops all state, e.g. before replaying a truncated log. */
  public synchronized void clear() {
    producers.clear();
  }

  public synchronized int producerCount() {
    return producers.size();
  }

  /** The remembered batches of one producer, oldest first (for tests and diagnostics). */
  public synchronized List<BatchMetadata> batchesOf(long producerId) {
    ProducerEntry entry = producers.get(producerId);
    return entry == null ? List.of() : entry.batches();
  }
}
