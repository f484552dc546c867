package io.rill.broker.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one listener ({@code rill-acceptor-<listener>}) and hands each socket
 * to a processor, round-robin. It does nothing else: no reads, no writes.
 *
 * <p>Thread ownership: the server socket and the acceptor's selector belong to its thread; the
 * constructor binds (so the port is known before start) and the thread closes both when it
 * exits. {@link #stop} may be called from any thread.
 *
 * <p>Invariant: every accepted socket either holds a {@link ConnectionQuotas} slot and is owned
 * by exactly one processor, or is closed here and holds no slot.
 */
final class Acceptor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

  /** Pending TCP connections the kernel may queue before we accept them. */
  static final int ACCEPT_BACKLOG = 512;
  /** Longest select: bounds how late a stop is noticed without a wakeup. */
  static final long SELECT_TIMEOUT_MS = 500;
  /** Accepts per select round, so a connection storm cannot starve the stop check. */
  static final int ACCEPTS_PER_ROUND_MAX = 256;
  /** Wait for room in a processor's new-connection queue before trying the next one. */
  static final long HANDOFF_WAIT_MS = 100;
  /** Wait for the thread to exit after {@link #stop}. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
  /** Rounds over all processors before a socket nobody takes is closed (~5 s of waits). */
  static final int HANDOFF_ROUNDS_MAX = 50;
  /** At most one warning per interval about connections refused at max.connections. */
  static final long REJECT_LOG_INTERVAL_MS = 10_000;
  /** Pause accepting after an accept error (e.g. out of file descriptors) to avoid a spin. */
  static final long ACCEPT_ERROR_BACKOFF_MS = 100;

  private final String listener;
  private final SocketServerConfig config;
  private final List<Processor> processors;
  private final ConnectionQuotas quotas;
  private final NetworkMetrics metrics;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final SelectionKey serverKey;
  private final Thread thread;
  private final RateLimitedLog rejectLog = new RateLimitedLog(log, REJECT_LOG_INTERVAL_MS);
  private int nextProcessor;
  private volatile boolean running = true;

  Acceptor(
      String listener,
      Endpoint endpoint,
      SocketServerConfig config,
      List<Processor> processors,
      ConnectionQuotas quotas,
      NetworkMetrics metrics)
      throws IOException {
    this.listener = listener;
    this.config = config;
    this.processors = List.copyOf(processors);
    this.quotas = quotas;
    this.metrics = metrics;
    this.server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (config.socketReceiveBufferBytes() != SocketServerConfig.SOCKET_BUFFER_OS_DEFAULT) {
        // Set on the listening socket so accepted sockets negotiate the window with it.
        server.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferBytes());
      }
      server.bind(new InetSocketAddress(endpoint.host(), endpoint.port()), ACCEPT_BACKLOG);
      server.configureBlocking(false);
      this.selector = Selector.open();
      this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot bind listener " + listener + " to " + endpoint, e);
    }
    this.thread = new Thread(this, "rill-acceptor-" + listener);
  }

  int boundPort() {
    return server.socket().getLocalPort();
  }

  void start() {
    thread.start();
  }

  /** Stops accepting and closes the server socket; already accepted connections stay open. */
  void stop(Duration timeout) throws InterruptedException {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      closeServer(); // never started: nobody else owns the socket
      return;
    }
    selector.wakeup();
    thread.join(Math.max(1, timeout.toMillis()));
    if (thread.isAlive()) {
      log.error("Acceptor of listener {} did not stop within {}", listener, timeout);
    }
  }

  @Override
  public void run() {
    long backoffUntilNanos = 0;
    try {
      while (running) {
        long now = System.nanoTime();
        long waitMs = SELECT_TIMEOUT_MS;
        if (backoffUntilNanos != 0) {
          if (now >= backoffUntilNanos) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
            backoffUntilNanos = 0;
          } else {
            waitMs = Math.max(1, (backoffUntilNanos - now) / 1_000_000L);
          }
        }
        selector.select(waitMs);
        selector.selectedKeys().clear();
        if (running && backoffUntilNanos == 0 && !acceptRound()) {
          serverKey.interestOps(0);
          backoffUntilNanos = System.nanoTime() + ACCEPT_ERROR_BACKOFF_MS * 1_000_000L;
        }
      }
    } catch (IOException e) {
      log.error("Acceptor of listener {} failed; no new connections on it", listener, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeServer();
    }
  }

  /** Accepts what is pending; false after an accept error. */
  private boolean acceptRound() throws InterruptedException {
    for (int i = 0; i < ACCEPTS_PER_ROUND_MAX && running; i++) {
      SocketChannel socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        log.error("Accept failed on listener {}; pausing {} ms", listener,
            ACCEPT_ERROR_BACKOFF_MS, e);
        return false;
      }
      if (socket == null) {
        return true;
      }
      if (!quotas.tryAcquire(listener)) {
        metrics.connectionsRejected.increment();
        rejectLog.warn(System.nanoTime(),
            "Refused a connection on listener {}: max.connections {} (listener cap {}) reached",
            listener, config.connectionsMax(), config.connectionsMax(listener));
        closeQuietly(socket);
        continue;
      }
      if (!configure(socket) || !handOff(socket)) {
        closeQuietly(socket);
        quotas.release(listener);
      }
    }
    return true;
  }

  private boolean configure(SocketChannel socket) {
    try {
      socket.configureBlocking(false);
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
      socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
      if (config.socketSendBufferBytes() != SocketServerConfig.SOCKET_BUFFER_OS_DEFAULT) {
        socket.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
      }
      return true;
    } catch (IOException e) {
      log.debug("Could not configure an accepted socket on {}: {}", listener, e.toString());
      return false;
    }
  }

  /** Round-robin; a full processor is skipped, and if all are full we wait on them in turn. */
  private boolean handOff(SocketChannel socket) throws InterruptedException {
    for (int round = 0; round < HANDOFF_ROUNDS_MAX && running; round++) {
      for (int tries = 0; tries < processors.size(); tries++) {
        Processor p = processors.get(nextProcessor);
        nextProcessor = (nextProcessor + 1) % processors.size();
        long waitMs = tries == processors.size() - 1 ? HANDOFF_WAIT_MS : 0;
        if (p.offerConnection(socket, listener, waitMs)) {
          return true;
        }
      }
    }
    if (running) {
      log.warn("No processor took a connection on listener {} within {} rounds; closing it",
          listener, HANDOFF_ROUNDS_MAX);
    }
    return false;
  }

  private void closeServer() {
    try {
      selector.close();
    } catch (IOException e) {
      log.warn("Error closing the selector of listener {}", listener, e);
    }
    try {
      server.close();
    } catch (IOException e) {
      log.warn("Error closing listener {}", listener, e);
    }
    log.info("Listener {} stopped accepting", listener);
  }

  private static void closeQuietly(SocketChannel socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("Error closing a refused socket: {}", e.toString());
    }
  }
}
