package io.rill.broker.network;

import io.rill.broker.network.Connection.State;
import io.rill.protocol.util.Checks;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network thread ({@code rill-network-<id>}): owns one {@link Selector} and the connections
 * registered with it, reads size-prefixed request frames, hands them to the {@link
 * RequestChannel}, and writes the responses that handlers put on its response queue.
 *
 * <p>Thread ownership: the selector, the connection map and every {@link Connection} are
 * touched only by this processor's thread. Other threads reach it only through two queues, each
 * followed by {@code selector.wakeup()}: {@link #offerConnection} (acceptors) and {@link
 * #enqueue} (handlers, through {@link NetworkRequest}). The thread never blocks except in
 * {@code select} with a timeout, and never touches the log.
 *
 * <p>Invariants: a connection is muted from the moment its frame is complete until its response
 * is written (or dropped, for acks=0), so there is at most one request in flight per connection
 * and responses leave in request order. The response queue is bounded implicitly by the number
 * of connections (one response per in-flight request). A connection with no bytes moving for
 * {@code connections.max.idle.ms} while it waits on the client (reading a frame, or writing a
 * response the client does not read) is closed; one whose request is queued or with a handler
 * is not idle, it is waiting on us.
 *
 * <p>Shutdown: {@link #startDrain} stops reading new frames and closes every connection that has
 * no request with a handler; connections in flight close once their response is written. The
 * thread exits when no connection is left, or at once after {@link #stop}.
 */
final class Processor implements Runnable, ResponseSink {
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  /** Accepted sockets waiting to be registered; a full queue makes the acceptor try another. */
  static final int NEW_CONNECTIONS_MAX = 20;
  /** Select timeout while a complete frame waits for room in the request queue. */
  static final long RETRY_OFFER_MS = 5;
  /** Longest select without a wakeup: bounds how late idle checks and shutdown run. */
  static final long SELECT_TIMEOUT_MS = 300;
  /** Interval between warnings about bad frames from clients. */
  static final long BAD_FRAME_LOG_INTERVAL_MS = 10_000;

  private record NewConnection(SocketChannel channel, String listener) {}

  private final int id;
  private final SocketServerConfig config;
  private final RequestChannel requestChannel;
  private final ConnectionQuotas quotas;
  private final NetworkMetrics metrics;
  private final Selector selector;
  private final Thread thread;
  private final BlockingQueue<NewConnection> newConnections =
      new ArrayBlockingQueue<>(NEW_CONNECTIONS_MAX);
  private final Queue<Response> responses = new ConcurrentLinkedQueue<>();
  /** Access order: the first entries are the ones idle the longest (see {@link #touch}). */
  private final LinkedHashMap<String, Connection> connections =
      new LinkedHashMap<>(16, 0.75f, true);
  /** Connections in QUEUEING, oldest first; closed ones are skipped lazily. */
  private final ArrayDeque<Connection> queueing = new ArrayDeque<>();
  private final RateLimitedLog badFrameLog = new RateLimitedLog(log, BAD_FRAME_LOG_INTERVAL_MS);
  private final long idleNanos;
  /** Adds to the bytes-in counter; one instance, not a lambda per read. */
  private final LongConsumer bytesInCounter;
  private long connectionSeq;

  private volatile boolean running = true;
  private volatile boolean draining;

  Processor(
      int id,
      SocketServerConfig config,
      RequestChannel requestChannel,
      ConnectionQuotas quotas,
      NetworkMetrics metrics)
      throws IOException {
    this.id = id;
    this.config = config;
    this.requestChannel = requestChannel;
    this.quotas = quotas;
    this.metrics = metrics;
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(config.connectionsMaxIdleMs());
    this.bytesInCounter = metrics.bytesIn::add;
    this.selector = Selector.open();
    this.thread = new Thread(this, "rill-network-" + id);
  }

  int id() {
    return id;
  }

  void start() {
    thread.start();
  }

  /**
   * Called by an acceptor: queues an accepted socket for registration, waiting up to {@code
   * timeoutMs} for room. On false the caller still owns the socket. Acceptors must be stopped
   * before processors drain, or a socket queued during the drain would only be closed when the
   * thread exits.
   */
  boolean offerConnection(SocketChannel channel, String listener, long timeoutMs)
      throws InterruptedException {
    if (!running || draining) {
      return false;
    }
    boolean queued =
        newConnections.offer(new NewConnection(channel, listener), timeoutMs, TimeUnit.MILLISECONDS);
    if (queued) {
      selector.wakeup();
    }
    return queued;
  }

  /** Called by any thread finishing a request of this processor. */
  @Override
  public void enqueue(Response response) {
    responses.add(response);
    selector.wakeup();
  }

  /** Stops reading new frames; the thread exits once in-flight responses are written. */
  void startDrain() {
    draining = true;
    selector.wakeup();
  }

  /** Makes the thread exit at its next round, closing every connection. */
  void stop() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      shutdown(); // never started: release the selector here
      return;
    }
    selector.wakeup();
  }

  /** Waits for the thread to exit; true if it did within the timeout. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  @Override
  public void run() {
    try {
      while (running) {
        registerNewConnections();
        processResponses();
        if (draining) {
          closeConnectionsNotInFlight();
          if (connections.isEmpty()) {
            break;
          }
        }
        poll();
        offerQueued();
        closeIdle();
      }
    } catch (Throwable t) {
      // A bug in the loop itself (per-connection failures are handled where they occur).
      log.error("Network processor {} failed; closing its {} connections", id,
          connections.size(), t);
    } finally {
      shutdown();
    }
  }

  private void registerNewConnections() {
    NewConnection nc;
    while ((nc = newConnections.poll()) != null) {
      if (draining) {
        closeUnregistered(nc);
        continue;
      }
      try {
        SocketChannel ch = nc.channel();
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
        String connId = ch.getLocalAddress() + "-" + remote + "-" + id + "-" + connectionSeq++;
        Connection c = new Connection(connId, nc.listener(), ch, key, remote, System.nanoTime());
        key.attach(c);
        connections.put(connId, c);
        metrics.connectionsAccepted.increment();
      } catch (IOException e) {
        log.debug("Could not register a connection on {}: {}", nc.listener(), e.toString());
        closeUnregistered(nc);
      }
    }
  }

  private void closeUnregistered(NewConnection nc) {
    closeQuietly(nc.channel(), nc.listener());
    quotas.release(nc.listener());
  }

  private void processResponses() {
    Response r;
    while ((r = responses.poll()) != null) {
      NetworkRequest req = r.request();
      Connection c = connections.get(req.connectionId());
      if (c == null) {
        log.debug("Dropping response to {}: its connection is closed", req);
        continue;
      }
      if (c.state != State.IN_FLIGHT || c.request != req) {
        log.error("Closing {}: response to {} does not match its in-flight request {}",
            c, req, c.request);
        close(c);
        continue;
      }
      touch(c, System.nanoTime());
      try {
        if (r instanceof Response.SendResponse s) {
          startSend(c, s.send());
        } else if (r instanceof Response.NoResponse) {
          finishCycle(c);
        } else {
          log.debug("Closing {} as its handler asked, after {}", c, req);
          close(c);
        }
      } catch (IOException | RuntimeException e) {
        logClose(c, e);
        close(c);
      }
    }
  }

  private void startSend(Connection c, Send send) throws IOException {
    c.state = State.SENDING;
    c.send = FramedSend.of(send);
    // Written by poll(), which follows at once (the socket is writable, so select returns
    // immediately). Writing here as well saved that select but made the JIT compile the whole
    // socket-write path into this method a second time, and again whenever a new kind of
    // response appeared: 0.3-0.7 s of CPU per recompile (docs/performance.md).
    c.interestWrite();
  }

  private void poll() throws IOException {
    long timeoutMs = queueing.isEmpty() ? Math.min(SELECT_TIMEOUT_MS, idleCheckMs())
        : RETRY_OFFER_MS;
    selector.select(timeoutMs);
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Connection c = (Connection) key.attachment();
      try {
        if (key.isReadable()) {
          read(c);
        }
        if (!c.closed && key.isValid() && key.isWritable()) {
          write(c);
        }
      } catch (IOException | RuntimeException e) {
        logClose(c, e);
        close(c);
      }
    }
  }

  private long idleCheckMs() {
    return Math.max(1, config.connectionsMaxIdleMs() / 2);
  }

  private void read(Connection c) throws IOException {
    long now = System.nanoTime();
    ByteBuffer frame = c.readFrame(config.requestMaxBytes(), bytesInCounter);
    if (c.partialBytes() > 0 || frame != null) {
      touch(c, now);
    }
    if (frame == null) {
      return;
    }
    metrics.requests.increment();
    c.mute();
    c.request = new NetworkRequest(c.id, id, c.listener, c.remote, now, frame, this);
    c.state = State.QUEUEING;
    if (queueing.isEmpty() && requestChannel.offer(c.request)) {
      c.state = State.IN_FLIGHT;
    } else {
      queueing.add(c); // keep FIFO order behind frames already waiting
    }
  }

  private void offerQueued() {
    while (!queueing.isEmpty()) {
      Connection c = queueing.peek();
      if (c.closed || c.state != State.QUEUEING) {
        queueing.poll();
      } else if (requestChannel.offer(c.request)) {
        c.state = State.IN_FLIGHT;
        queueing.poll();
      } else {
        return; // still full: retry after RETRY_OFFER_MS
      }
    }
  }

  private void write(Connection c) throws IOException {
    Checks.state(c.state == State.SENDING && c.send != null, "%s writable without a send", c);
    long n = c.send.writeTo(c.channel);
    metrics.bytesOut.add(n);
    if (n > 0) {
      touch(c, System.nanoTime());
    }
    if (c.send.completed()) {
      metrics.responses.increment();
      finishCycle(c);
    }
  }

  /** The request is answered (or needs no answer): read the next frame, unless draining. */
  private void finishCycle(Connection c) {
    c.send = null;
    c.request = null;
    c.state = State.READING;
    if (draining) {
      close(c);
    } else {
      c.unmuteForRead();
    }
  }

  private void closeIdle() {
    long now = System.nanoTime();
    List<Connection> idle = new ArrayList<>();
    for (Connection c : connections.values()) {
      if (now - c.lastActiveNanos < idleNanos) {
        break; // access order: every later connection was active more recently
      }
      // READING: idle or stalled mid-frame. SENDING: the client stopped reading our response.
      // QUEUEING and IN_FLIGHT wait on us, not on the client, so they are not idle.
      if (c.state == State.READING || c.state == State.SENDING) {
        idle.add(c);
      }
    }
    for (Connection c : idle) {
      log.debug("Closing {}: idle for more than {} ms", c, config.connectionsMaxIdleMs());
      metrics.connectionsClosedIdle.increment();
      close(c);
    }
  }

  private void closeConnectionsNotInFlight() {
    List<Connection> toClose = new ArrayList<>();
    for (Connection c : connections.values()) {
      if (c.state == State.READING || c.state == State.QUEUEING) {
        toClose.add(c);
      }
    }
    for (Connection c : toClose) {
      close(c);
    }
  }

  /** Records activity and moves the connection to the end of the access-ordered map. */
  private void touch(Connection c, long nowNanos) {
    c.lastActiveNanos = nowNanos;
    connections.get(c.id);
  }

  private void logClose(Connection c, Exception e) {
    if (e instanceof InvalidFrameException) {
      metrics.framesRejected.increment();
      badFrameLog.warn(System.nanoTime(), "Closing connection {} from {} on listener {}: {}",
          c.id, c.remote, c.listener, e.getMessage());
    } else if (e instanceof IOException) {
      // Peers go away all the time (EOF, reset): routine, not a warning.
      log.debug("Closing {}: {}", c, e instanceof EOFException ? e.getMessage() : e.toString());
    } else {
      log.error("Closing {} after an unexpected error", c, e);
    }
  }

  private void close(Connection c) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    connections.remove(c.id);
    c.key.cancel();
    closeQuietly(c.channel, c.id);
    quotas.release(c.listener);
    metrics.connectionsClosed.increment();
  }

  private static void closeQuietly(SocketChannel channel, String what) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Error closing {}: {}", what, e.toString());
    }
  }

  private void shutdown() {
    for (Connection c : new ArrayList<>(connections.values())) {
      close(c);
    }
    NewConnection nc;
    while ((nc = newConnections.poll()) != null) {
      closeUnregistered(nc);
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.warn("Error closing the selector of processor {}", id, e);
    }
    running = false;
    log.debug("Network processor {} stopped", id);
  }

  @Override
  public String toString() {
    return thread.getName();
  }
}
