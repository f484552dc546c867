package io.rill.broker.api;

import io.rill.broker.purgatory.DelayedOperation;
import io.rill.broker.replica.ReplicaManager;
import java.util.List;

/**
 * A fetch waiting for {@code min.bytes} of committed data or {@code max.wait.ms}, whichever
 * comes first. Appends to any of its partitions re-check it (the purgatory is keyed by
 * partition); when it completes it reads afresh and answers, so the response holds everything
 * committed by then.
 */
final class DelayedFetch extends DelayedOperation {
  private final List<FetchPartition> partitions;
  private final int minBytes;
  private final ReplicaManager replicas;
  private final Runnable respond;

  DelayedFetch(long maxWaitMs, List<FetchPartition> partitions, int minBytes,
      ReplicaManager replicas, Runnable respond) {
    super(maxWaitMs);
    this.partitions = partitions;
    this.minBytes = minBytes;
    this.replicas = replicas;
    this.respond = respond;
  }

  @Override
  public boolean tryComplete() {
    long available = 0;
    for (FetchPartition p : partitions) {
      if (p.error() != null) {
        continue;
      }
      var read = replicas.read(p.topicPartition(), p.fetchOffset(), p.partitionMaxBytes(), true);
      if (read.error() != io.rill.protocol.Errors.NONE) {
        // The partition moved or failed: answer now so the client learns it.
        return forceComplete();
      }
      available += read.sizeInBytes();
      if (available >= minBytes) {
        return forceComplete();
      }
    }
    return false;
  }

  @Override
  protected void onComplete() {
    respond.run();
  }
}
