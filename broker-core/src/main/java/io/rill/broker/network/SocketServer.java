package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's network layer: one {@link Acceptor} per listener, {@code num.network.threads}
 * {@link Processor}s shared by all listeners, and the bounded {@link RequestChannel} that
 * {@link RequestHandlerPool} threads take requests from.
 *
 * <pre>
 * client ─TCP─▶ Acceptor[listener] ─queue+wakeup─▶ Processor[i] ─▶ RequestChannel ─▶ handlers
 *                                                  ▲  response queue + wakeup  │
 *                                                  └───────────────────────────┘
 * </pre>
 *
 * <p>Thread ownership: acceptors own their server sockets, processors own their selectors and
 * connections; they meet only through queues followed by {@code Selector.wakeup()}. This
 * class's own methods are for the one lifecycle thread that starts and stops the broker.
 *
 * <p>Lifecycle: {@link #start} binds every listener (ports known from then on, see {@link
 * #boundPort}) and starts the threads; {@link #stopAccepting} closes the listeners; {@link
 * #close(Duration)} drains: connections without a request in flight (idle, or half a frame
 * read) close at once, requests already with a handler get their response written, and
 * whatever is left at the deadline is closed. Handlers must still be running during the drain,
 * so a broker closes the socket server first and the {@link RequestHandlerPool} after it.
 *
 * <p>Invariant: connection slots taken in {@link ConnectionQuotas} equal the connections owned
 * by processors plus those in hand-off between an acceptor and a processor.
 */
public final class SocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

  /** {@link #close()} without an argument drains for this long. */
  public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
  /** Wait for a processor to exit after it was told to stop at the drain deadline. */
  static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private enum Phase { NEW, ACCEPTING, NOT_ACCEPTING, CLOSED }

  private final SocketServerConfig config;
  private final RequestChannel requestChannel;
  private final NetworkMetrics metrics = new NetworkMetrics();
  private final ConnectionQuotas quotas;
  private final List<Processor> processors = new ArrayList<>();
  private final Map<String, Acceptor> acceptors = new LinkedHashMap<>();
  private Phase phase = Phase.NEW;

  public SocketServer(SocketServerConfig config) {
    this.config = config;
    this.requestChannel = new RequestChannel(config.queuedMaxRequests());
    this.quotas = new ConnectionQuotas(config);
  }

  /** Binds every listener and starts acceptor and processor threads. */
  public synchronized void start() throws IOException {
    Checks.state(phase == Phase.NEW, "socket server already started (%s)", phase);
    try {
      for (int i = 0; i < config.networkThreads(); i++) {
        processors.add(new Processor(i, config, requestChannel, quotas, metrics));
      }
      for (Map.Entry<String, Endpoint> e : config.listeners().entrySet()) {
        acceptors.put(e.getKey(),
            new Acceptor(e.getKey(), e.getValue(), config, processors, quotas, metrics));
      }
    } catch (IOException e) {
      try {
        abortStart();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        e.addSuppressed(interrupted);
      }
      throw e;
    }
    processors.forEach(Processor::start);
    acceptors.values().forEach(Acceptor::start);
    phase = Phase.ACCEPTING;
    for (String listener : acceptors.keySet()) {
      log.info("Listener {} accepting on port {}", listener, boundPort(listener));
    }
  }

  /** Undoes a start that failed half way: threads were created but none started. */
  private void abortStart() throws InterruptedException {
    for (Acceptor a : acceptors.values()) {
      a.stop(Acceptor.STOP_TIMEOUT);
    }
    for (Processor p : processors) {
      p.stop();
    }
    processors.clear();
    acceptors.clear();
  }

  /** The port a listener is bound to (the real one when configured with port 0). */
  public synchronized int boundPort(String listener) {
    Acceptor a = acceptors.get(listener);
    Checks.argument(a != null, "no listener %s (have %s)", listener, acceptors.keySet());
    return a.boundPort();
  }

  /** Where handler threads take requests from. */
  public RequestChannel requestChannel() {
    return requestChannel;
  }

  public NetworkMetrics metrics() {
    return metrics;
  }

  /** Closes every listener; connections already accepted keep being served. */
  public synchronized void stopAccepting() throws InterruptedException {
    if (phase != Phase.ACCEPTING) {
      return;
    }
    for (Acceptor a : acceptors.values()) {
      a.stop(Acceptor.STOP_TIMEOUT);
    }
    phase = Phase.NOT_ACCEPTING;
  }

  /**
   * Stops accepting, writes the responses of requests already with a handler (new frames are
   * not read), and closes every connection, all within {@code timeout} (plus a short grace for
   * the threads to exit).
   */
  public synchronized void close(Duration timeout) throws InterruptedException {
    if (phase == Phase.CLOSED) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    stopAccepting();
    processors.forEach(Processor::startDrain);
    boolean drained = true;
    for (Processor p : processors) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      drained &= p.awaitExit(left);
    }
    if (!drained) {
      log.warn("In-flight requests not answered within {}; closing their connections", timeout);
    }
    processors.forEach(Processor::stop);
    for (Processor p : processors) {
      if (!p.awaitExit(STOP_GRACE)) {
        log.error("{} did not stop within {}", p, STOP_GRACE);
      }
    }
    phase = Phase.CLOSED;
    log.info("Socket server closed ({} connections accepted, {} requests)",
        metrics.connectionsAccepted(), metrics.requests());
  }

  /** {@link #close(Duration)} with the default timeout; an interrupt skips the drain. */
  @Override
  public void close() {
    try {
      close(CLOSE_TIMEOUT_DEFAULT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while closing the socket server; closing connections without drain");
      processors.forEach(Processor::stop);
    }
  }
}
