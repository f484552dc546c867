package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code num.io.threads} handler threads ({@code rill-handler-<id>}) taking requests from the
 * {@link RequestChannel} and passing each to the {@link RequestHandler}.
 *
 * <p>An exception from the handler never kills a thread: it is logged with the request's api
 * key, version and correlation id, and that request's connection is closed (if the handler had
 * not finished the request already). Handler threads are never interrupted, because an
 * interrupt during a {@code FileChannel} operation closes the channel for every reader of that
 * segment; {@link #close} stops them with a flag instead, noticed within {@link #POLL_MS}.
 *
 * <p>Thread ownership: {@link #start} and {@link #close} are for the lifecycle thread.
 */
public final class RequestHandlerPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RequestHandlerPool.class);

  /** Longest wait for a request before a handler thread re-checks whether it should stop. */
  static final long POLL_MS = 200;
  /** {@link #close()} without an argument waits this long for handlers to finish. */
  public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

  private final RequestChannel channel;
  private final RequestHandler handler;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private RequestHandlerPool(RequestChannel channel, RequestHandler handler) {
    this.channel = channel;
    this.handler = handler;
  }

  /** Starts {@code threadCount} handler threads on {@code channel}. */
  public static RequestHandlerPool start(
      RequestChannel channel, int threadCount, RequestHandler handler) {
    Checks.argument(threadCount > 0, "num.io.threads must be > 0, got %s", threadCount);
    RequestHandlerPool pool = new RequestHandlerPool(channel, handler);
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(pool::runHandler, "rill-handler-" + i);
      pool.threads.add(t);
      t.start();
    }
    return pool;
  }

  private void runHandler() {
    while (running) {
      NetworkRequest request;
      try {
        request = channel.poll(POLL_MS);
      } catch (InterruptedException e) {
        log.warn("Handler thread interrupted; it stops", e);
        Thread.currentThread().interrupt();
        return;
      }
      if (request != null) {
        handleOne(request);
      }
    }
  }

  private void handleOne(NetworkRequest request) {
    try {
      handler.handle(request);
    } catch (Throwable t) {
      log.error("Handler failed on apiKey {} version {} correlationId {} from {} ({}); "
              + "closing that connection",
          request.apiKey(), request.apiVersion(), request.correlationId(),
          request.clientAddress(), request.connectionId(), t);
      if (!request.isFinished()) {
        try {
          request.closeConnection();
        } catch (IllegalStateException raced) {
          // Another thread (a purgatory) finished the request at the same moment: its
          // response stands, nothing left to close.
          log.debug("Request {} was finished concurrently", request, raced);
        }
      }
      if (t instanceof VirtualMachineError vmError) {
        throw vmError; // out of memory or stack: this thread cannot be trusted to go on
      }
    }
  }

  /** Stops taking requests and waits up to {@code timeout} for current ones to finish. */
  public void close(Duration timeout) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      t.join(Math.max(1, leftMs));
      if (t.isAlive()) {
        log.warn("Handler thread {} still busy after the {} close timeout", t.getName(), timeout);
      }
    }
  }

  /** {@link #close(Duration)} with the default timeout; an interrupt stops the wait only. */
  @Override
  public void close() {
    try {
      close(CLOSE_TIMEOUT_DEFAULT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while waiting for handler threads; they stop after their request");
    }
  }
}
