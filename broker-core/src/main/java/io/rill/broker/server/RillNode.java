package io.rill.broker.server;

import io.rill.broker.api.RequestDispatcher;
import io.rill.broker.config.BrokerConfig;
import io.rill.broker.network.Endpoint;
import io.rill.broker.network.RequestHandlerPool;
import io.rill.broker.network.SocketServer;
import io.rill.broker.network.SocketServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Rill node: its data directories, the metadata quorum member (controller role), the
 * storage and request handling (broker role), and the network in front of them.
 *
 * <p>Start order: identity of the data dirs, metadata, logs, handlers, and the listeners last
 * (so no client sees a half-started node). Shutdown is the reverse and is bounded: stop
 * accepting, drain in-flight responses ({@link #SHUTDOWN_TIMEOUT}), stop handlers, flush and
 * close logs with clean-shutdown markers, snapshot and close metadata.
 *
 * <p>Thread ownership: {@link #start} and {@link #close} are called by one lifecycle thread
 * (main, then the shutdown hook); close is idempotent.
 */
public final class RillNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RillNode.class);
  /** How long a clean shutdown may wait for in-flight responses; SIGTERM must finish in 5 s. */
  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

  private final BrokerConfig config;
  private final CountDownLatch shutdown = new CountDownLatch(1);
  private MetaProperties meta;
  private SocketServer socketServer;
  private RequestHandlerPool handlerPool;
  private volatile boolean closed;

  public RillNode(BrokerConfig config) {
    this.config = config;
  }

  public synchronized void start() throws IOException {
    long startNanos = System.nanoTime();
    meta = MetaProperties.formatOrVerify(config.logDirs(), config.nodeId());
    RequestDispatcher dispatcher = new RequestDispatcher();
    socketServer = new SocketServer(socketServerConfig());
    handlerPool = RequestHandlerPool.start(socketServer.requestChannel(),
        config.getInt("num.io.threads"), dispatcher);
    socketServer.start();
    log.info("Rill node {} of cluster {} started in {} ms, listening on {}", config.nodeId(),
        meta.clusterId(), (System.nanoTime() - startNanos) / 1_000_000, boundListeners());
  }

  private SocketServerConfig socketServerConfig() {
    Map<String, Endpoint> listeners = new LinkedHashMap<>();
    config.listeners().forEach(l -> listeners.put(l.listenerName(), new Endpoint(l.host(), l.port())));
    return SocketServerConfig.defaults(listeners)
        .withNetworkThreads(config.getInt("num.network.threads"))
        .withQueuedMaxRequests(config.getInt("queued.max.requests"))
        .withRequestMaxBytes(config.getInt("socket.request.max.bytes"))
        .withConnectionsMax(config.getInt("max.connections"), Map.of())
        .withConnectionsMaxIdleMs(config.getLong("connections.max.idle.ms"))
        .withSocketBufferBytes(config.getInt("socket.send.buffer.bytes"),
            config.getInt("socket.receive.buffer.bytes"));
  }

  private Map<String, Integer> boundListeners() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    config.listeners().forEach(l -> ports.put(l.listenerName(), socketServer.boundPort(l.listenerName())));
    return ports;
  }

  /** The port a listener bound (the real one when configured with port 0). */
  public int boundPort(String listenerName) {
    return socketServer.boundPort(listenerName);
  }

  public String clusterId() {
    return meta.clusterId();
  }

  public void awaitShutdown() {
    try {
      shutdown.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    try {
      if (socketServer != null) {
        socketServer.stopAccepting();
        socketServer.close(SHUTDOWN_TIMEOUT);
      }
      if (handlerPool != null) {
        handlerPool.close(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      log.info("Rill node {} stopped in {} ms", config.nodeId(),
          (System.nanoTime() - startNanos) / 1_000_000);
      shutdown.countDown();
    }
  }
}
