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
import io.rill.broker.replica.fetcher.FetcherSettings;
import io.rill.broker.replica.fetcher.ReplicaFetcherManager;
import io.rill.broker.metadata.MetadataCache;
import io.rill.broker.metadata.MetadataLoader;
import io.rill.metadata.ControllerChannel;
import io.rill.metadata.MetadataSource;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.raft.LocalMetadataSource;
import io.rill.metadata.raft.MetadataNodeConfig;
import io.rill.metadata.raft.QuorumClient;
import io.rill.metadata.raft.QuorumVoters;
import io.rill.metadata.raft.RaftControllerChannel;
import io.rill.metadata.raft.RaftMetadataNode;
import io.rill.metadata.raft.RemoteMetadataSource;
import io.rill.broker.network.RequestHandlerPool;
import io.rill.broker.network.SocketServer;
import io.rill.broker.network.SocketServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Rill node: its data directories, the metadata quorum voter (controller role), the
 * storage and request handling (broker role), and the network in front of them. Every node
 * reaches the controller through a {@link ControllerChannel} and follows the metadata through
 * a {@link MetadataSource} applied by its {@link MetadataLoader}, the same way whether it is
 * combined or not; {@code process.roles} decides only which parts run.
 *
 * <p>Start order: what the data dirs say of their identity; the voter (controller role); the
 * channel to the active controller and the metadata source; then it waits for the quorum to
 * agree on the cluster id (a majority of voters must be up; it logs why it waits) and writes
 * it to meta.properties. A broker then loads its logs and replicas, applies the metadata to
 * them, binds the listeners (their real ports are what the broker registers), starts the
 * handlers and group coordinators, and registers with the controller. Requests that arrive
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
  /**
   * The longest between two ISR checks of a leader: shrinking waits for replica.lag.time.max.ms
   * anyway, but a caught-up follower should rejoin within a fraction of a second.
   */
  private static final long ISR_CHECK_INTERVAL_MAX_MS = 250;
  /** How often start-up looks again at a condition it waits for (and at closeRequested). */
  private static final long START_POLL_MS = 100;
  /** How often start-up says what it still waits for. */
  private static final long WAIT_LOG_MS = 5_000;
  private static final long FIRST_WAIT_LOG_MS = 2_000;
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
  /** This node's voter; null unless process.roles has controller. */
  private RaftMetadataNode quorum;
  private QuorumClient quorumClient;
  private ControllerChannel controller;
  private MetadataSource metadataSource;
  private MetadataCache metadata;
  private MetadataLoader loader;
  private LogManager logManager;
  private ReplicaManager replicaManager;
  private ReplicaFetcherManager fetchers;
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
    checkNotClosing("reading the data directories");
    Optional<MetaProperties> existing =
        MetaProperties.readExisting(config.logDirs(), config.nodeId());
    scheduler = new ExecutorScheduler(SCHEDULER_THREADS);
    QuorumVoters voters =
        QuorumVoters.parse(String.join(",", config.getList("controller.quorum.voters")));
    if (config.isController()) {
      quorum = RaftMetadataNode.start(MetadataNodeConfig.of(config.nodeId(),
              String.join(",", config.getList("controller.quorum.voters")),
              config.logDirs().get(0).resolve(METADATA_DIR),
              existing.map(MetaProperties::clusterId))
          .withSessionTimeoutMs(config.getInt("broker.session.timeout.ms"))
          .withFenceRefusingBrokers(config.getBoolean("controller.fence.dead.listeners.enable"))
          .withLeaderRebalanceIntervalMs(config.getBoolean("auto.leader.rebalance.enable")
              ? TimeUnit.SECONDS.toMillis(config.getLong("leader.imbalance.check.interval.seconds"))
              : 0));
    }
    checkNotClosing("finding the metadata quorum");
    RaftGroupId group = quorum != null ? quorum.groupId() : awaitQuorumGroup(voters);
    quorumClient = QuorumClient.connect(voters, group);
    controller = new RaftControllerChannel(Optional.ofNullable(quorum), quorumClient,
        RaftControllerChannel.TIMEOUT_MS);
    metadata = new MetadataCache();
    loader = new MetadataLoader(config.nodeId(), metadata);
    if (config.isBroker()) {
      metadataSource = quorum != null ? new LocalMetadataSource(quorum)
          : new RemoteMetadataSource(config.nodeId(), quorumClient);
      metadataSource.start(loader::offer);
    }
    String clusterId = awaitClusterId(config.isBroker() ? loader::latestOffered : quorum::image);
    meta = MetaProperties.ensure(config.logDirs(), config.nodeId(), clusterId);
    if (!config.isBroker()) {
      log.info("Rill node {} of cluster {} started in {} ms as a controller only: it serves no"
              + " client listeners (clients use the brokers)", config.nodeId(), clusterId,
          (System.nanoTime() - startNanos) / 1_000_000);
      return;
    }
    startBroker(startNanos);
  }

  private void startBroker(long startNanos) throws IOException, InterruptedException {
    checkNotClosing("loading the logs");
    TopicConfigResolver topicConfigs = new TopicConfigResolver(config, metadata);
    logManager = new LogManager(config.logDirs(), topicConfigs::logConfig, Time.SYSTEM, scheduler,
        new LogManager.Settings(config.getLong("log.retention.check.interval.ms"),
            LogManager.Settings.DEFAULT.flushCheckIntervalMs(),
            LogManager.Settings.DEFAULT.checkpointIntervalMs(),
            LogManager.Settings.DEFAULT.recoveryThreadsPerDir()));
    logManager.configureCleaner(BrokerCleanerSettings.of(config));
    logManager.startup();
    replicaManager = new ReplicaManager(config.nodeId(), logManager);
    replicaManager.startProducerExpiration(scheduler,
        config.getLong("producer.id.expiration.check.interval.ms"),
        config.getInt("producer.id.expiration.ms"));
    fetchers = new ReplicaFetcherManager(config.nodeId(), replicaManager, replicaManager::broker,
        FetcherSettings.from(config));
    replicaManager.connect(fetchers, request -> {
      BrokerLifecycle registered = lifecycle;
      return controller.alterPartition(request.setBrokerId(config.nodeId())
          .setBrokerEpoch(registered == null ? -1 : registered.brokerEpoch()).build());
    });
    long lagMaxMs = config.getLong("replica.lag.time.max.ms");
    replicaManager.startIsrMaintenance(scheduler,
        Math.max(1, Math.min(lagMaxMs / 2, ISR_CHECK_INTERVAL_MAX_MS)), lagMaxMs);
    replicaManager.startHighWatermarkCheckpoints(scheduler);
    if (quorum != null) {
      // A restarted voter replays its Raft log from its snapshot: it must not act on the
      // leaderships of that history (lead a partition in an old epoch), so the replica layer
      // starts only once this voter has applied what the quorum had committed.
      awaitVoterCaughtUp();
    }
    // The replica layer applies the metadata first; handlers then read the published image.
    loader.start(new MetadataPublisher(config.nodeId(), replicaManager, logManager,
        topicConfigs)::onUpdate);
    awaitApplied(loader.latestOffered().offset());

    checkNotClosing("binding the listeners");
    socketServer = new SocketServer(socketServerConfig());
    socketServer.start();
    List<Endpoint> advertised = advertisedEndpoints();
    lifecycle = new BrokerLifecycle(config.nodeId(), controller, metadata, scheduler,
        config.getInt("broker.heartbeat.interval.ms"),
        config.getInt("broker.session.timeout.ms"));
    BrokerServices services = new BrokerServices(config.nodeId(), meta.clusterId(), config,
        advertised, controller, metadata, replicaManager,
        new AutoTopicCreator(controller, config.getInt("num.partitions"),
            config.getInt("default.replication.factor")),
        new ProducerIdManager(controller, config.nodeId(), lifecycle::brokerEpoch), topicConfigs);
    RequestDispatcher dispatcher = ApiHandlers.dispatcher(services);
    groups = GroupCoordinatorManager.create(services);
    GroupApis.registerAll(dispatcher, services, groups);
    groups.start();
    handlerPool = RequestHandlerPool.start(socketServer.requestChannel(),
        config.getInt("num.io.threads"), dispatcher);
    checkNotClosing("registering with the controller");
    String rack = config.getString("broker.rack");
    lifecycle.register(advertised, rack.isEmpty() ? Optional.empty() : Optional.of(rack));
    log.info("Rill node {} of cluster {} started in {} ms, serving {}", config.nodeId(),
        meta.clusterId(), (System.nanoTime() - startNanos) / 1_000_000, advertised);
  }

  /**
   * A broker that is not a voter asks the voters which Raft group they serve; waits (logging
   * why every {@value #WAIT_LOG_MS} ms) until one answers.
   */
  private RaftGroupId awaitQuorumGroup(QuorumVoters voters) throws InterruptedException {
    long lastLogNs = System.nanoTime();
    while (true) {
      checkNotClosing("finding the metadata quorum");
      Optional<RaftGroupId> group = QuorumClient.discoverGroup(voters);
      if (group.isPresent()) {
        return group.get();
      }
      if (System.nanoTime() - lastLogNs > TimeUnit.MILLISECONDS.toNanos(WAIT_LOG_MS)) {
        log.info("Waiting for the metadata quorum: none of the voters {} answers yet", voters);
        lastLogNs = System.nanoTime();
      }
      Thread.sleep(START_POLL_MS);
    }
  }

  /**
   * Waits until the quorum has agreed on a cluster id, which needs a majority of the voters;
   * logs why it still waits every {@value #WAIT_LOG_MS} ms, and gives up only when closed.
   */
  private String awaitClusterId(Supplier<MetadataImage> image) throws InterruptedException {
    // The first word comes after FIRST_WAIT_LOG_MS: a healthy quorum agrees well before that.
    long lastLogNs = System.nanoTime()
        - TimeUnit.MILLISECONDS.toNanos(WAIT_LOG_MS - FIRST_WAIT_LOG_MS);
    while (true) {
      checkNotClosing("joining the cluster");
      Optional<String> id = image.get().clusterId();
      if (id.isPresent()) {
        return id.get();
      }
      if (System.nanoTime() - lastLogNs > TimeUnit.MILLISECONDS.toNanos(WAIT_LOG_MS)) {
        String leader = controller.activeControllerId().isPresent()
            ? "node " + controller.activeControllerId().getAsInt() : "none elected";
        log.info("Waiting to join the cluster: the metadata quorum ({}) has no agreed cluster"
            + " id yet (leader: {}); a majority of the voters must be up",
            config.getList("controller.quorum.voters"), leader);
        lastLogNs = System.nanoTime();
      }
      Thread.sleep(START_POLL_MS);
    }
  }

  /** Waits until this voter has applied everything the quorum had committed when asked. */
  private void awaitVoterCaughtUp() throws InterruptedException {
    long committed = -1;
    while (committed < 0) {
      checkNotClosing("catching up with the metadata quorum");
      try {
        committed = controller.describeQuorum().get(WAIT_LOG_MS, TimeUnit.MILLISECONDS)
            .getHighWatermark();
      } catch (ExecutionException | TimeoutException e) {
        log.info("Waiting for the active controller to say how far the metadata log is"
            + " committed: {}", e.toString());
      }
    }
    long start = System.nanoTime();
    while (quorum.lastAppliedIndex() < committed) {
      checkNotClosing("catching up with the metadata quorum");
      Thread.sleep(START_POLL_MS / 10);
    }
    log.info("Metadata caught up to the quorum's commit index {} in {} ms", committed,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Waits until the loader has applied the metadata up to {@code offset} to the replicas. */
  private void awaitApplied(long offset) throws InterruptedException {
    CompletableFuture<MetadataImage> applied = metadata.awaitOffset(offset);
    while (true) {
      checkNotClosing("applying the metadata");
      try {
        applied.get(START_POLL_MS, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        // Look at closeRequested again.
      } catch (ExecutionException e) {
        throw new IllegalStateException("applying the metadata failed", e.getCause());
      }
    }
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

  /** The metadata image this broker's handlers read (empty on a controller-only node). */
  public MetadataImage metadataImage() {
    return metadata.image();
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
      if (fetchers != null) {
        fetchers.close();
      }
      if (loader != null) {
        loader.close();
      }
      if (metadataSource != null) {
        metadataSource.close();
      }
      if (replicaManager != null) {
        replicaManager.close();
      }
      if (logManager != null) {
        logManager.shutdown();
      }
      if (controller != null) {
        controller.close();
      }
      if (quorumClient != null) {
        quorumClient.close();
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
