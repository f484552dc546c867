package io.rill.broker.server;

import io.rill.broker.config.Endpoint;
import io.rill.broker.log.Scheduler;
import io.rill.metadata.MetadataQuorum;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.protocol.Errors;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's membership in the cluster: registers it with the controller (a new incarnation
 * id per process start, its advertised endpoints), then heartbeats every {@code
 * broker.heartbeat.interval.ms} so the controller keeps it unfenced. A new broker starts fenced
 * and may lead nothing until a heartbeat shows it has caught up with the metadata log.
 *
 * <p>Thread ownership: {@link #register} runs on the lifecycle thread; heartbeats run on the
 * scheduler and stop at {@link #stop}.
 */
final class BrokerLifecycle {
  private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);
  /** How long start-up waits to be registered and unfenced before giving up. */
  static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(30);
  /** Pause between registration attempts while an old incarnation is still registered. */
  static final long REGISTRATION_RETRY_BACKOFF_MS = 250;
  /** How often a registration wait looks whether the start was abandoned. */
  private static final long ABANDON_CHECK_MS = 50;
  /** How long a clean shutdown waits for the controller to acknowledge it. */
  static final Duration SHUTDOWN_NOTICE_TIMEOUT = Duration.ofSeconds(1);

  private final int nodeId;
  private final MetadataQuorum quorum;
  private final Scheduler scheduler;
  private final long heartbeatIntervalMs;
  /** This node also runs the controller (process.roles=broker,controller). */
  private final boolean combinedMode;
  private final UUID incarnation = UUID.randomUUID();
  private volatile long brokerEpoch = -1;
  private volatile boolean stopped;

  BrokerLifecycle(int nodeId, MetadataQuorum quorum, Scheduler scheduler,
      long heartbeatIntervalMs, boolean combinedMode) {
    this.nodeId = nodeId;
    this.combinedMode = combinedMode;
    this.quorum = quorum;
    this.scheduler = scheduler;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
  }

  /**
   * Registers and sends the first heartbeat; returns once the controller has unfenced us.
   *
   * @throws StartAbandonedException when {@link #abandonStart} is called meanwhile
   */
  void register(List<Endpoint> endpoints) throws InterruptedException {
    RegisterBrokerRequest.Builder request = RegisterBrokerRequest.newBuilder()
        .setBrokerId(nodeId)
        .setIncarnationId(io.rill.metadata.image.Uuids.toProto(incarnation));
    endpoints.forEach(e -> request.addEndpoints(io.rill.metadata.record.Endpoint.newBuilder()
        .setListener(e.listenerName()).setHost(e.host()).setPort(e.port())
        .setSecurityProtocol("PLAINTEXT")));
    long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
    RegisterBrokerResponse registered = await(quorum.registerBroker(request.build()),
        "registration");
    // After an unclean stop the previous incarnation stays registered and unfenced until its
    // session expires. In combined mode that incarnation is certainly dead — a node id's broker
    // runs in the same process as its controller — so fence it rather than wait; otherwise
    // retry until the session expires, as Kafka's brokers do.
    while (registered.getErrorCode() == Errors.DUPLICATE_BROKER_REGISTRATION.code
        && System.nanoTime() < deadline) {
      if (!fencePreviousIncarnation()) {
        log.info("The previous incarnation of broker {} is still registered; retrying", nodeId);
        await(new CompletableFuture<Void>().completeOnTimeout(null,
            REGISTRATION_RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS), "registration back-off");
      }
      registered = await(quorum.registerBroker(request.build()), "registration");
    }
    if (registered.getErrorCode() != 0) {
      throw new IllegalStateException("broker registration refused: "
          + Errors.forCode(registered.getErrorCode()));
    }
    brokerEpoch = registered.getBrokerEpoch();
    while (heartbeatOnce()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("still fenced after " + REGISTRATION_TIMEOUT);
      }
    }
    scheduleHeartbeat();
  }

  /**
   * Fences this node id's previous incarnation if it is still registered and unfenced; returns
   * whether a fence was issued. Only called in combined mode (see {@link #register}).
   */
  private boolean fencePreviousIncarnation() throws InterruptedException {
    var previous = quorum.image().broker(nodeId);
    if (!combinedMode || previous.isEmpty() || previous.get().fenced()
        || previous.get().incarnationId().equals(incarnation)) {
      return false;
    }
    log.info("Fencing the previous incarnation of broker {} (epoch {}): it died with this"
        + " node's last process", nodeId, previous.get().epoch());
    await(quorum.submit(ControllerCommand.newBuilder().setFenceBroker(
        FenceBrokerRequest.newBuilder().setBrokerId(nodeId)
            .setBrokerEpoch(previous.get().epoch())).build()), "fence of the previous incarnation");
    return true;
  }

  /** One heartbeat; returns whether the controller still considers this broker fenced. */
  private boolean heartbeatOnce() throws InterruptedException {
    var response = await(quorum.brokerHeartbeat(BrokerHeartbeatRequest.newBuilder()
        .setBrokerId(nodeId).setBrokerEpoch(brokerEpoch)
        .setCurrentMetadataOffset(quorum.image().offset()).build()), "heartbeat");
    return response.getIsFenced();
  }

  private void scheduleHeartbeat() {
    if (stopped) {
      return;
    }
    scheduler.schedule("broker-heartbeat", () -> {
      if (stopped) {
        return;
      }
      quorum.brokerHeartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(nodeId)
              .setBrokerEpoch(brokerEpoch).setCurrentMetadataOffset(quorum.image().offset())
              .build())
          .whenComplete((r, e) -> {
            if (e != null && !stopped) {
              log.warn("Heartbeat to the controller failed: {}", e.toString());
            }
            scheduleHeartbeat();
          });
    }, heartbeatIntervalMs);
  }

  long brokerEpoch() {
    return brokerEpoch;
  }

  /**
   * Makes a {@link #register} in progress on the lifecycle thread give up within {@value
   * #ABANDON_CHECK_MS} ms: the shutdown hook calls this when SIGTERM arrives during start-up.
   * Safe from any thread; {@link #stop} still follows.
   */
  void abandonStart() {
    stopped = true;
  }

  /**
   * Stops heartbeating and tells the controller this broker is going away (want-shut-down), so
   * it is fenced at once and the next start registers without waiting for the session to
   * expire. Best effort, bounded by {@link #SHUTDOWN_NOTICE_TIMEOUT}.
   */
  void stop() {
    stopped = true;
    if (brokerEpoch < 0) {
      return;
    }
    try {
      quorum.brokerHeartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(nodeId)
              .setBrokerEpoch(brokerEpoch).setCurrentMetadataOffset(quorum.image().offset())
              .setWantFence(true).setWantShutDown(true).build())
          .get(SHUTDOWN_NOTICE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Could not tell the controller that broker {} is shutting down: {}", nodeId,
          e.toString());
    }
  }

  /** Waits for a registration step, giving up on the timeout or when the start is abandoned. */
  private <T> T await(CompletableFuture<T> f, String what) throws InterruptedException {
    long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
    while (true) {
      if (stopped) {
        throw new StartAbandonedException("start-up abandoned during the broker " + what);
      }
      try {
        return f.get(ABANDON_CHECK_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("broker " + what + " failed", e.getCause());
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("broker " + what + " not answered within "
              + REGISTRATION_TIMEOUT, e);
        }
      }
    }
  }
}
