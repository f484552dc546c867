package io.rill.broker.server;

import io.rill.broker.config.Endpoint;
import io.rill.broker.log.Scheduler;
import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.ControllerChannel;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.BrokerHeartbeatResponse;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's membership in the cluster (KRaft's {@code BrokerLifecycleManager}): registers
 * it with the active controller (a new incarnation id per process start, its advertised
 * endpoints and rack), then heartbeats every {@code broker.heartbeat.interval.ms} so the
 * controller keeps it unfenced. A registered broker starts fenced and may lead nothing until a
 * heartbeat shows its metadata has caught up to its own registration.
 *
 * <p>After an unclean stop the previous incarnation stays registered until its session
 * expires ({@code broker.session.timeout.ms}); registration is refused with
 * DUPLICATE_BROKER_REGISTRATION until then and is retried. The same answer protects a live
 * broker from a second process started with its node.id: that one gives up after {@link
 * #REGISTRATION_TIMEOUT} and the first is not disturbed.
 *
 * <p>On a clean stop it asks for a controlled shutdown (want-shut-down): the controller moves
 * every leadership of this broker away and fences it, then answers; bounded by {@link
 * #SHUTDOWN_NOTICE_TIMEOUT}.
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
  /** Added to two session timeouts before a still-registered incarnation counts as alive. */
  static final long REGISTRATION_DUPLICATE_SLACK_MS = 3_000;
  /** How often the start looks whether its own image shows it unfenced yet. */
  static final long UNFENCE_APPLY_POLL_MS = 10;
  /** How often a registration wait looks whether the start was abandoned. */
  private static final long ABANDON_CHECK_MS = 50;
  /** How long a clean shutdown waits for the controller to move this broker's leaderships. */
  static final Duration SHUTDOWN_NOTICE_TIMEOUT = Duration.ofSeconds(2);

  private final int nodeId;
  private final ControllerChannel controller;
  private final MetadataCache metadata;
  private final Scheduler scheduler;
  private final long heartbeatIntervalMs;
  /** broker.session.timeout.ms: a dead incarnation is fenced within about this long. */
  private final long sessionTimeoutMs;
  private final UUID incarnation = UUID.randomUUID();
  private volatile long brokerEpoch = -1;
  private volatile boolean stopped;
  /** Whether the last heartbeat failed, so a run of failures is logged once. */
  private volatile boolean heartbeatFailing;
  /** The error code of the last heartbeat answer (0: accepted), so a refusal is logged once. */
  private volatile int lastRefusal;

  BrokerLifecycle(int nodeId, ControllerChannel controller, MetadataCache metadata,
      Scheduler scheduler, long heartbeatIntervalMs, long sessionTimeoutMs) {
    this.nodeId = nodeId;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.controller = controller;
    this.metadata = metadata;
    this.scheduler = scheduler;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
  }

  /**
   * Registers and heartbeats until the controller has unfenced us.
   *
   * @throws StartAbandonedException when {@link #abandonStart} is called meanwhile
   */
  void register(List<Endpoint> endpoints, Optional<String> rack) throws InterruptedException {
    RegisterBrokerRequest.Builder request = RegisterBrokerRequest.newBuilder()
        .setBrokerId(nodeId)
        .setIncarnationId(Uuids.toProto(incarnation));
    endpoints.forEach(e -> request.addEndpoints(io.rill.metadata.record.Endpoint.newBuilder()
        .setListener(e.listenerName()).setHost(e.host()).setPort(e.port())
        .setSecurityProtocol("PLAINTEXT")));
    rack.ifPresent(request::setRack);
    long startNs = System.nanoTime();
    long deadline = startNs + REGISTRATION_TIMEOUT.toNanos();
    RegisterBrokerResponse registered = await(controller.registerBroker(request.build()),
        "registration", deadline);
    // A dead previous incarnation is fenced within a session (plus a controller failover's
    // grace); one still registered after two sessions is alive: another node with our id.
    long duplicateDeadline = Math.min(deadline,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * sessionTimeoutMs
            + REGISTRATION_DUPLICATE_SLACK_MS));
    boolean logged = false;
    while (registered.getErrorCode() == Errors.DUPLICATE_BROKER_REGISTRATION.code
        && System.nanoTime() < duplicateDeadline) {
      if (!logged) {
        log.info("Broker {} is still registered by another incarnation (a previous process"
            + " whose session has not expired yet, or another live node with node.id={});"
            + " retrying", nodeId, nodeId);
        logged = true;
      }
      await(new CompletableFuture<Void>().completeOnTimeout(null,
          REGISTRATION_RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS), "registration back-off",
          deadline);
      registered = await(controller.registerBroker(request.build()), "registration", deadline);
    }
    if (registered.getErrorCode() == Errors.DUPLICATE_BROKER_REGISTRATION.code) {
      throw new IllegalStateException("another live broker is registered with node.id="
          + nodeId + " (it kept heartbeating for " + (2 * sessionTimeoutMs
          + REGISTRATION_DUPLICATE_SLACK_MS) + " ms); refusing to start a second one. Give"
          + " each node its own node.id");
    }
    if (registered.getErrorCode() != 0) {
      throw new IllegalStateException("broker registration refused: "
          + Errors.forCode(registered.getErrorCode()));
    }
    brokerEpoch = registered.getBrokerEpoch();
    long registeredNs = System.nanoTime();
    // The controller unfences us once our image has applied our own registration.
    await(metadata.awaitOffset(brokerEpoch), "metadata catch-up", deadline);
    while (heartbeatOnce(deadline).getIsFenced()) {
      await(new CompletableFuture<Void>().completeOnTimeout(null,
          REGISTRATION_RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS), "unfence back-off", deadline);
    }
    // The unfence and the leaderships it hands back (partitions left leaderless by our last
    // stop) are one metadata change: the start ends once this broker's own image has it, so a
    // client's first request after the start finds the partitions led here.
    while (!metadata.image().isActiveBroker(nodeId)) {
      await(new CompletableFuture<Void>().completeOnTimeout(null, UNFENCE_APPLY_POLL_MS,
          TimeUnit.MILLISECONDS), "unfence to reach the local metadata", deadline);
    }
    log.info("Broker {} registered in {} ms with epoch {}, and unfenced {} ms later", nodeId,
        (registeredNs - startNs) / 1_000_000, brokerEpoch,
        (System.nanoTime() - registeredNs) / 1_000_000);
    scheduleHeartbeat();
  }

  private BrokerHeartbeatRequest.Builder heartbeatRequest() {
    return BrokerHeartbeatRequest.newBuilder().setBrokerId(nodeId).setBrokerEpoch(brokerEpoch)
        .setCurrentMetadataOffset(metadata.image().offset());
  }

  private BrokerHeartbeatResponse heartbeatOnce(long deadline) throws InterruptedException {
    return await(controller.brokerHeartbeat(heartbeatRequest().build()), "heartbeat", deadline);
  }

  private void scheduleHeartbeat() {
    if (stopped) {
      return;
    }
    scheduler.schedule("broker-heartbeat", () -> {
      if (stopped) {
        return;
      }
      controller.brokerHeartbeat(heartbeatRequest().build()).whenComplete((r, e) -> {
        if (e != null && !stopped && !heartbeatFailing) {
          log.warn("Heartbeat to the controller failed: {}", e.toString());
        } else if (e == null && heartbeatFailing) {
          log.info("Heartbeats reach the controller again");
        }
        heartbeatFailing = e != null;
        int refusal = r == null ? lastRefusal : r.getErrorCode();
        if (refusal != lastRefusal && refusal != 0 && !stopped) {
          // Once per run of refusals: an operator may have unregistered this broker
          // (BROKER_ID_NOT_REGISTERED), which lasts until it restarts and registers again.
          log.warn("The controller refuses broker {}'s heartbeats: {}", nodeId,
              Errors.forCode(refusal));
        }
        lastRefusal = refusal;
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
   * Stops heartbeating and asks for a controlled shutdown, so the controller moves this
   * broker's leaderships to other in-sync replicas before it goes (and the next start registers
   * without waiting for the session to expire). Bounded by {@link #SHUTDOWN_NOTICE_TIMEOUT}.
   */
  void stop() {
    stopped = true;
    if (brokerEpoch < 0) {
      return;
    }
    long start = System.nanoTime();
    try {
      controller.brokerHeartbeat(heartbeatRequest().setWantFence(true).setWantShutDown(true)
          .build()).get(SHUTDOWN_NOTICE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Controlled shutdown of broker {}: leaderships moved in {} ms", nodeId,
          (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Could not tell the controller that broker {} is shutting down: {}", nodeId,
          e.toString());
    }
  }

  /** Waits for a registration step, giving up at the deadline or when the start is abandoned. */
  private <T> T await(CompletableFuture<T> f, String what, long deadline)
      throws InterruptedException {
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
          throw new IllegalStateException("broker " + what + " not done within "
              + REGISTRATION_TIMEOUT, e);
        }
      }
    }
  }
}
