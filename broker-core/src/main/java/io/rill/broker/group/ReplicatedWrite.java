package io.rill.broker.group;

import io.rill.broker.api.RequestContext;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.purgatory.DelayedOperation;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers a coordinator write (an offset commit, a member leaving) once the in-sync replicas of
 * its {@code __consumer_offsets} partition have it: the high watermark has reached the log end
 * as it stood right after the write. Otherwise a new coordinator after a failover would not know
 * of it: a lost leave, for one, makes the next rebalance wait out the departed member's
 * session. Waits in the produce purgatory (completed by high-watermark and leadership changes),
 * never on a handler thread. Kafka's answers on failure: NOT_COORDINATOR when this broker lost
 * the partition's leadership meanwhile, COORDINATOR_NOT_AVAILABLE at {@code
 * offsets.commit.timeout.ms}; the client then retries.
 */
final class ReplicatedWrite extends DelayedOperation {
  private final ReplicaManager replicas;
  private final TopicPartition tp;
  private final long target;
  private final int leaderEpoch;
  private final RequestContext ctx;
  /** Builds the response: null for success, else the error of every successful partition. */
  private final Function<Errors, Struct> response;
  private volatile boolean expired;

  private ReplicatedWrite(long timeoutMs, ReplicaManager replicas, TopicPartition tp,
      long target, int leaderEpoch, RequestContext ctx, Function<Errors, Struct> response) {
    super(timeoutMs);
    this.replicas = replicas;
    this.tp = tp;
    this.target = target;
    this.leaderEpoch = leaderEpoch;
    this.ctx = ctx;
    this.response = response;
  }

  static void answerWhenReplicated(RequestContext ctx, ReplicaManager replicas,
      TopicPartition tp, long timeoutMs, Function<Errors, Struct> response) {
    Optional<Partition> p = replicas.partition(tp);
    if (p.isEmpty() || !p.get().isLeader()) {
      ctx.respond(response.apply(Errors.NOT_COORDINATOR));
      return;
    }
    ReplicatedWrite op = new ReplicatedWrite(timeoutMs, replicas, tp,
        p.get().logEndOffset(), p.get().leaderEpoch(), ctx, response);
    replicas.producePurgatory().tryCompleteElseWatch(op, List.of(tp));
  }

  /** Empty while still waiting; else the answer (null: replicated). */
  private Optional<Optional<Errors>> decision() {
    Optional<Partition> p = replicas.partition(tp);
    if (p.isEmpty() || !p.get().isLeader() || p.get().leaderEpoch() != leaderEpoch) {
      return Optional.of(Optional.of(Errors.NOT_COORDINATOR));
    }
    return p.get().highWatermark() >= target ? Optional.of(Optional.empty()) : Optional.empty();
  }

  @Override
  public boolean tryComplete() {
    return decision().isPresent() && forceComplete();
  }

  @Override
  protected void onExpiration() {
    expired = true;
  }

  @Override
  protected void onComplete() {
    Errors error = expired ? Errors.COORDINATOR_NOT_AVAILABLE
        : decision().orElse(Optional.of(Errors.COORDINATOR_NOT_AVAILABLE)).orElse(null);
    ctx.respond(response.apply(error));
  }
}
