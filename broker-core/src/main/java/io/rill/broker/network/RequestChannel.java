package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue of complete request frames between processors and handler threads ({@code
 * queued.max.requests}).
 *
 * <p>Back-pressure, not blocking: processors {@link #offer} without waiting. When the queue is
 * full the processor keeps the completed frame on its connection, leaves that connection muted
 * (nothing more is read from it, so the client's TCP window fills up and the client slows
 * down) and offers again on its next selector round, at most {@link Processor#RETRY_OFFER_MS}
 * later. Its selector loop never blocks, so responses keep flowing out, which is what frees
 * handlers and drains the queue.
 *
 * <p>Thread ownership: processors call {@link #offer}; handler threads call {@link #poll}.
 */
public final class RequestChannel {
  private final BlockingQueue<NetworkRequest> queue;
  private final int capacity;

  public RequestChannel(int queuedMaxRequests) {
    Checks.argument(queuedMaxRequests > 0, "queued.max.requests must be > 0");
    this.capacity = queuedMaxRequests;
    this.queue = new ArrayBlockingQueue<>(queuedMaxRequests);
  }

  /** Queues a request if there is room; never blocks. */
  boolean offer(NetworkRequest request) {
    return queue.offer(request);
  }

  /** Takes the next request, waiting up to {@code timeoutMs}; null if none arrived. */
  NetworkRequest poll(long timeoutMs) throws InterruptedException {
    return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }
}
