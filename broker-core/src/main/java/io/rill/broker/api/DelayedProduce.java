package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.purgatory.DelayedOperation;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.ProduceOutcome;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An acks=all produce waiting for the high watermark to pass each appended batch (Kafka's
 * {@code DelayedProduce}): then the partition's answer is its append outcome, or
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below {@code min.insync.replicas}
 * meanwhile; NOT_LEADER_OR_FOLLOWER when this broker lost the leadership (the write is then
 * indeterminate and the idempotent producer's retry is deduplicated); REQUEST_TIMED_OUT at the
 * request's timeout.
 *
 * <p>Threads: {@link #tryComplete} runs on whichever thread moved a high watermark or leadership
 * (handlers, follower fetches, the metadata loader, ISR answers) and the timer, concurrently;
 * the per-partition answers are set under this object's monitor.
 */
final class DelayedProduce extends DelayedOperation {
  /** One appended partition: what it waits for and the answer so far. */
  record Pending(TopicPartition tp, ProduceOutcome appended, int leaderEpoch, int minInsync) {}

  private final ReplicaManager replicas;
  private final Map<TopicPartition, Pending> pending;
  /** Guarded by this: the answers decided so far. */
  private final Map<TopicPartition, ProduceOutcome> decided = new LinkedHashMap<>();
  private final Consumer<Map<TopicPartition, ProduceOutcome>> respond;

  DelayedProduce(long timeoutMs, ReplicaManager replicas, Map<TopicPartition, Pending> pending,
      Consumer<Map<TopicPartition, ProduceOutcome>> respond) {
    super(timeoutMs);
    this.replicas = replicas;
    this.pending = Map.copyOf(pending);
    this.respond = respond;
  }

  @Override
  public boolean tryComplete() {
    synchronized (this) {
      for (Pending p : pending.values()) {
        if (!decided.containsKey(p.tp())) {
          check(p).ifPresent(outcome -> decided.put(p.tp(), outcome));
        }
      }
      if (decided.size() < pending.size()) {
        return false;
      }
    }
    return forceComplete();
  }

  private java.util.Optional<ProduceOutcome> check(Pending p) {
    Partition partition = replicas.partition(p.tp()).orElse(null);
    if (partition == null || !partition.isLeader()
        || partition.leaderEpoch() != p.leaderEpoch()) {
      return java.util.Optional.of(ProduceOutcome.error(Errors.NOT_LEADER_OR_FOLLOWER,
          "leadership of " + p.tp() + " moved before the write was replicated"));
    }
    if (partition.highWatermark() <= p.appended().lastOffset()) {
      return java.util.Optional.empty();
    }
    if (partition.leaderState().isr().size() < p.minInsync()) {
      return java.util.Optional.of(ProduceOutcome.error(
          Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, "the ISR "
              + partition.leaderState().isr() + " of " + p.tp()
              + " shrank below min.insync.replicas " + p.minInsync() + " after the append"));
    }
    return java.util.Optional.of(p.appended());
  }

  @Override
  protected void onExpiration() {
    synchronized (this) {
      for (Pending p : pending.values()) {
        decided.putIfAbsent(p.tp(), ProduceOutcome.error(Errors.REQUEST_TIMED_OUT,
            "not replicated to the in-sync replicas of " + p.tp() + " in time"));
      }
    }
  }

  @Override
  protected void onComplete() {
    Map<TopicPartition, ProduceOutcome> answers;
    synchronized (this) {
      answers = new LinkedHashMap<>(decided);
    }
    respond.accept(answers);
  }
}
