package io.rill.broker.producer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a partition remembers of one producer id: its current epoch and the metadata of its last
 * {@link #MAX_BATCHES} batches, newest last — enough to recognise a retry of any batch the Java
 * producer can still have in flight (max.in.flight.requests.per.connection ≤ 5 with
 * idempotence).
 *
 * <p>Owned by its {@link ProducerStateManager}; guarded by that manager's lock.
 */
final class ProducerEntry {
  /** Batches remembered per producer and partition: Kafka's NUM_BATCHES_TO_RETAIN. */
  static final int MAX_BATCHES = 5;

  short epoch;
  long lastTimestampMs;
  private final Deque<BatchMetadata> batches = new ArrayDeque<>(MAX_BATCHES);

  ProducerEntry(short epoch) {
    this.epoch = epoch;
  }

  /** An entry as a snapshot stored it: at most {@link #MAX_BATCHES} batches, oldest first. */
  ProducerEntry(short epoch, long lastTimestampMs, List<BatchMetadata> batches) {
    this.epoch = epoch;
    this.lastTimestampMs = lastTimestampMs;
    this.batches.addAll(batches);
  }

  /** The last sequence written, or -1 when none (a new epoch starts over). */
  int lastSeq() {
    return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
  }

  BatchMetadata findDuplicate(int firstSeq, int lastSeq) {
    for (BatchMetadata b : batches) {
      if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
        return b;
      }
    }
    return null;
  }

  void add(BatchMetadata batch) {
    if (batches.size() == MAX_BATCHES) {
      batches.removeFirst();
    }
    batches.addLast(batch);
    lastTimestampMs = Math.max(lastTimestampMs, batch.timestampMs());
  }

  void resetForEpoch(short newEpoch) {
    epoch = newEpoch;
    batches.clear();
  }

  List<BatchMetadata> batches() {
    return List.copyOf(batches);
  }
}
