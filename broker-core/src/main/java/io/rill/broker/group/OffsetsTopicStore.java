package io.rill.broker.group;

import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ProduceOutcome;
import io.rill.broker.replica.ReplicaManager;
import io.rill.protocol.Errors;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CoordinatorStore} of one {@code __consumer_offsets} partition: each write is one
 * batch appended as leader. Durable once the leader has it — with this partition's ISR being
 * this node alone (the single-node cluster) that is also the high watermark. A multi-node
 * cluster will need to wait for the high watermark (acks=all) before answering.
 */
final class OffsetsTopicStore implements CoordinatorStore {
  private static final Logger log = LoggerFactory.getLogger(OffsetsTopicStore.class);
  /** acks=1: the append is done when the leader has written it (see the class comment). */
  private static final int REQUIRED_ACKS = 1;

  private final TopicPartition tp;
  private final ReplicaManager replicas;
  private final Time time;

  OffsetsTopicStore(TopicPartition tp, ReplicaManager replicas, Time time) {
    this.tp = tp;
    this.replicas = replicas;
    this.time = time;
  }

  @Override
  public Errors append(List<CoordinatorRecord> records) {
    ProduceOutcome outcome = replicas.append(tp,
        CoordinatorBatches.build(records, time.milliseconds()), REQUIRED_ACKS, 1);
    if (outcome.error() != Errors.NONE) {
      log.warn("Append of {} coordinator records to {} failed: {} {}", records.size(), tp,
          outcome.error(), outcome.message());
    }
    return outcome.error();
  }
}
