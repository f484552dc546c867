package io.rill.broker.api;

import io.rill.metadata.ControllerChannel;
import io.rill.metadata.command.AllocateProducerIdsRequest;
import io.rill.metadata.command.AllocateProducerIdsResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Hands out producer ids from blocks the metadata quorum allocates to this broker, so ids are
 * unique across the cluster and across restarts (a restarted broker gets a new block; ids are
 * never reused). The next block is requested when the current one is {@link
 * #PREFETCH_FRACTION} used, so InitProducerId rarely waits on the quorum.
 *
 * <p>Thread-safe (synchronised); never blocks: callers get a future that completes when an id
 * is available.
 */
public final class ProducerIdManager {
  /** Request the next block once this fraction of the current one is handed out. */
  static final double PREFETCH_FRACTION = 0.9;

  private final ControllerChannel controller;
  private final int brokerId;
  /** This broker's epoch from its registration: the controller refuses stale ones. */
  private final LongSupplier brokerEpoch;
  private long next;
  private long end;
  private long blockLength;
  /** A prefetched block waiting for the current one to run out; start -1 when none. */
  private long pendingStart = -1;
  private long pendingLength;
  /** A block request is under way; set before it is sent, cleared when it is answered. */
  private boolean fetching;
  private final Deque<CompletableFuture<Long>> waiting = new ArrayDeque<>();

  public ProducerIdManager(ControllerChannel controller, int brokerId, LongSupplier brokerEpoch) {
    this.controller = controller;
    this.brokerId = brokerId;
    this.brokerEpoch = brokerEpoch;
  }

  public synchronized CompletableFuture<Long> nextProducerId() {
    if (next >= end && pendingStart >= 0) {
      activate(pendingStart, pendingLength);
      pendingStart = -1;
    }
    if (next < end && waiting.isEmpty()) {
      long id = next++;
      if (pendingStart < 0 && end - next < blockLength * (1 - PREFETCH_FRACTION)) {
        fetchBlock();
      }
      return CompletableFuture.completedFuture(id);
    }
    CompletableFuture<Long> f = new CompletableFuture<>();
    waiting.add(f);
    fetchBlock();
    return f;
  }

  private void activate(long start, long length) {
    next = start;
    end = start + length;
    blockLength = length;
  }

  private void fetchBlock() {
    if (fetching) {
      return;
    }
    fetching = true;
    controller.allocateProducerIds(AllocateProducerIdsRequest.newBuilder()
            .setBrokerId(brokerId).setBrokerEpoch(brokerEpoch.getAsLong()).build())
        .whenComplete(this::onBlock);
  }

  private synchronized void onBlock(AllocateProducerIdsResponse response, Throwable error) {
    fetching = false;
    if (error != null || response.getErrorCode() != 0) {
      RuntimeException failure = new IllegalStateException("producer id block allocation failed: "
          + (error != null ? error : "error code " + response.getErrorCode()));
      waiting.forEach(w -> w.completeExceptionally(failure));
      waiting.clear();
      return;
    }
    if (next >= end) {
      activate(response.getProducerIdStart(), response.getProducerIdLen());
    } else {
      pendingStart = response.getProducerIdStart();
      pendingLength = response.getProducerIdLen();
    }
    while (!waiting.isEmpty() && next < end) {
      waiting.poll().complete(next++);
    }
    if (!waiting.isEmpty()) {
      fetchBlock();
    }
  }
}
