package io.rill.broker.server;

import io.rill.broker.api.ApiHandlers;
import io.rill.broker.api.AutoTopicCreator;
import io.rill.broker.api.BrokerServices;
import io.rill.broker.api.ProducerIdManager;
import io.rill.broker.api.RequestDispatcher;
import io.rill.broker.group.GroupApis;
import io.rill.broker.group.GroupCoordinatorManager;
import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.Endpoint;
import io.rill.broker.log.ExecutorScheduler;
import io.rill.broker.log.LogManager;
import io.rill.broker.log.Time;
import io.rill.broker.replica.ReplicaManager;
import io.rill.metadata.raft.MetadataNodeConfig;
import io.rill.metadata.raft.RaftMetadataNode;
import io.rill.broker.network.RequestHandlerPool;
import io.rill.broker.network.SocketServer;
import io.rill.broker.network.SocketServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Rill node: its data directories, the metadata quorum member (controller role), the
 * storage and request handling (broker role), and the network in front of them.
 *
 * <p>Start order: identity of the data dirs, metadata, logs and replicas, then the listeners
 * are bound (their real ports are what the broker registers), the handlers and group
 * coordinators start, and the broker registers with the controller. Requests that arrive
 * between the bind and the handlers wait in the bounded request queue. Shutdown is the reverse
 * and is bounded: tell the controller, stop accepting, drain in-flight responses ({@link
 * #SHUTDOWN_TIMEOUT}), stop handlers and coordinators, flush and close logs with clean-shutdown
 * markers, snapshot and close metadata.
 *
 * <p>Thread ownership: {@link #start} runs on the lifecycle thread (main). {@link #close} may be
 * called from any thread (the shutdown hook), also while start is still running: it asks the
 * start to stop at its next phase boundary (or within 50 ms of waiting for registration), which
 * then closes what it had started and throws {@link StartAbandonedException}; close waits for
 * that, for at most {@link #CLOSE_WAIT_FOR_START}: a start stuck where it cannot look (a library
 * calling {@code System.exit} inside it, which waits for this very shutdown hook) must not keep
 * SIGTERM from ending the process. Close is idempotent; the components are touched only under
 * {@code lifecycleLock}.
 */
public final class RillNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RillNode.class);
  /** How long a clean shutdown may wait for in-flight responses; SIGTERM must finish in 5 s. */
  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

  /** Threads of the shared scheduler (log retention/flush/checkpoint, heartbeats). */
  private static final int SCHEDULER_THREADS = 2;
  /** Where the metadata quorum keeps its Raft log and snapshots, inside the first log dir. */
  static final String METADATA_DIR = "__cluster_metadata";

  /** Bound on close()'s wait for a running start; README promises a stop within 5 s. */
  static final Duration CLOSE_WAIT_FOR_START = Duration.ofSeconds(5);

  private final BrokerConfig config;
  /** Held by start() throughout and by close() while it closes the components. */
  private final ReentrantLock lifecycleLock = new ReentrantLock();
  private final CountDownLatch shutdown = new CountDownLatch(1);
  private MetaProperties meta;
  private ExecutorScheduler scheduler;
  private RaftMetadataNode quorum;
  private LogManager logManager;
  private ReplicaManager replicaManager;
  /** Read by close() from another thread while start() may be waiting in registration. */
  private volatile BrokerLifecycle lifecycle;
  private SocketServer socketServer;
  private RequestHandlerPool handlerPool;
  private GroupCoordinatorManager groups;
  private volatile boolean closed;
  /** Set by close() from any thread before it takes the monitor; start() looks at it. */
  private volatile boolean closeRequested;

  public RillNode(BrokerConfig config) {
    this.config = config;
  }

  /**
   * Starts the node; on failure, whatever had started is closed again before the rethrow.
   *
   * @throws StartAbandonedException when {@link #close} was called during the start
   */
  public void start() throws IOException, InterruptedException {
    lifecycleLock.lock();
    try {
      PortPreflight.check(config); // before anything starts: nothing to close when it fails
      try {
        startComponents();
      } catch (IOException | InterruptedException | RuntimeException e) {
        closeComponents();
        throw e;
      }
    } finally {
      lifecycleLock.unlock();
    }
  }

  /** A phase boundary of start-up: gives up if close() has been called meanwhile. */
  private void checkNotClosing(String phase) {
    if (closeRequested) {
      throw new StartAbandonedException("start-up abandoned before " + phase
          + ": the node is being closed");
    }
  }

  private void startComponents() throws IOException, InterruptedException {
    long startNanos = System.nanoTime();
    if (!config.isController()) {
      throw new IllegalStateException("process.roles=broker without controller needs a remote"
          + " controller, which this version does not support yet; use broker,controller");
    }
    checkNotClosing("formatting the data directories");
    meta = MetaProperties.formatOrVerify(config.logDirs(), config.nodeId());
    scheduler = new ExecutorScheduler(SCHEDULER_THREADS);
    quorum = RaftMetadataNode.start(MetadataNodeConfig.of(config.nodeId(),
            String.join(",", config.getList("controller.quorum.voters")),
            config.logDirs().get(0).resolve(METADATA_DIR), meta.clusterId())
        .withSessionTimeoutMs(config.getInt("broker.session.timeout.ms")));
    checkNotClosing("loading the logs");
    TopicConfigResolver topicConfigs = new TopicConfigResolver(config, quorum);
    logManager = new LogManager(config.logDirs(), topicConfigs::logConfig, Time.SYSTEM, scheduler,
        new LogManager.Settings(config.getLong("log.retention.check.interval.ms"),
            LogManager.Settings.DEFAULT.flushCheckIntervalMs(),
            LogManager.Settings.DEFAULT.checkpointIntervalMs(),
            LogManager.Settings.DEFAULT.recoveryThreadsPerDir()));
    logManager.startup();
    replicaManager = new ReplicaManager(config.nodeId(), logManager);
    replicaManager.startProducerExpiration(scheduler,
        config.getLong("producer.id.expiration.check.interval.ms"),
        config.getInt("producer.id.expiration.ms"));
    quorum.addListener(new MetadataPublisher(replicaManager, logManager, topicConfigs));

    checkNotClosing("binding the listeners");
    socketServer = new SocketServer(socketServerConfig());
    socketServer.start();
    List<Endpoint> advertised = advertisedEndpoints();
    lifecycle = new BrokerLifecycle(config.nodeId(), quorum, scheduler,
        config.getInt("broker.heartbeat.interval.ms"), config.isController());
    BrokerServices services = new BrokerServices(config.nodeId(), meta.clusterId(), config,
        advertised, quorum, replicaManager,
        new AutoTopicCreator(quorum, config.getInt("num.partitions"),
            config.getInt("default.replication.factor")),
        new ProducerIdManager(quorum, config.nodeId(), lifecycle::brokerEpoch), topicConfigs);
    RequestDispatcher dispatcher = ApiHandlers.dispatcher(services);
    groups = GroupCoordinatorManager.create(services);
    GroupApis.registerAll(dispatcher, services, groups);
    groups.start();
    handlerPool = RequestHandlerPool.start(socketServer.requestChannel(),
        config.getInt("num.io.threads"), dispatcher);
    checkNotClosing("registering with the controller");
    lifecycle.register(advertised);
    log.info("Rill node {} of cluster {} started in {} ms, serving {}", config.nodeId(),
        meta.clusterId(), (System.nanoTime() - startNanos) / 1_000_000, advertised);
  }

  /** Advertised listeners, with the bound port wherever the configured port was 0. */
  private List<Endpoint> advertisedEndpoints() {
    List<Endpoint> out = new ArrayList<>();
    for (Endpoint e : config.advertisedListeners()) {
      int port = e.port() != 0 ? e.port() : socketServer.boundPort(e.listenerName());
      out.add(new Endpoint(e.listenerName(), e.host(), port));
    }
    return out;
  }

  private SocketServerConfig socketServerConfig() {
    Map<String, io.rill.broker.network.Endpoint> listeners = new LinkedHashMap<>();
    config.listeners().forEach(l -> listeners.put(l.listenerName(),
        new io.rill.broker.network.Endpoint(l.host(), l.port())));
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

  /** This node's partition logs, for diagnostics and tests (e.g. a topic config applied live). */
  public LogManager logManager() {
    return logManager;
  }

  public void awaitShutdown() {
    try {
      shutdown.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the node (see the class comment for the order); from another thread during {@link
   * #start}, makes the start give up and waits for it to have closed what it had started.
   */
  @Override
  public void close() {
    closeRequested = true;
    BrokerLifecycle registering = lifecycle;
    if (registering != null) {
      registering.abandonStart();
    }
    try {
      if (!lifecycleLock.tryLock(CLOSE_WAIT_FOR_START.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("The start did not stop within {} ms; exiting without a clean shutdown (the"
            + " next start recovers the logs)", CLOSE_WAIT_FOR_START.toMillis());
        shutdown.countDown();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      closeComponents();
    } finally {
      lifecycleLock.unlock();
    }
  }

  /** Closes whatever has started; the caller holds {@code lifecycleLock}. */
  private void closeComponents() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    try {
      if (lifecycle != null) {
        lifecycle.stop();
      }
      if (socketServer != null) {
        socketServer.stopAccepting();
        socketServer.close(SHUTDOWN_TIMEOUT);
      }
      if (handlerPool != null) {
        handlerPool.close(Duration.ofSeconds(1));
      }
      if (groups != null) {
        groups.close();
      }
      if (replicaManager != null) {
        replicaManager.close();
      }
      if (logManager != null) {
        logManager.shutdown();
      }
      if (quorum != null) {
        quorum.close();
      }
      if (scheduler != null) {
        scheduler.close();
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
