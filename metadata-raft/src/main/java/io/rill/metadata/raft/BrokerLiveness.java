package io.rill.metadata.raft;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.controller.BrokerHeartbeatManager;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active controller's watch over brokers: their sessions ({@link BrokerHeartbeatManager},
 * soft state), fencing those whose session expired, and fencing at once those whose process is
 * gone: a broker silent for a third of its session (or, right after this node took over, the
 * previous quorum leader's, often the node that died) whose listeners all refuse connections
 * ({@link ListenerProbe}). Only silent brokers are probed, so a broker that heartbeats is never
 * fenced for an advertised address the controller cannot reach.
 *
 * <p>Threads: {@link #touch}, {@link #activate} and {@link #deactivate} from any thread (the
 * session table is guarded by its own monitor); {@link #tick} on the owner's liveness thread;
 * probes run on {@code metadata-probe-<id>}. Fences are submitted through the owner's command
 * path; at most one per broker is in flight.
 */
final class BrokerLiveness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerLiveness.class);
  /** A listener on a live host answers a connect at once; a refused one resets at once. */
  static final int PROBE_TIMEOUT_MS = 500;

  private final long sessionTimeoutMs;
  private final boolean probeListeners;
  private final Function<ControllerCommand, CompletableFuture<?>> submit;
  private final BrokerHeartbeatManager sessions;
  private final ExecutorService probes;
  private final Set<Integer> fencesInFlight = ConcurrentHashMap.newKeySet();
  private final Set<Integer> probing = ConcurrentHashMap.newKeySet();
  /** Set on activation: the broker the next tick probes at once; -1 for none. */
  private volatile int suspect = -1;
  private volatile boolean closed;

  BrokerLiveness(int nodeId, long sessionTimeoutMs, boolean probeListeners,
      Function<ControllerCommand, CompletableFuture<?>> submit) {
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.probeListeners = probeListeners;
    this.submit = submit;
    this.sessions = new BrokerHeartbeatManager(sessionTimeoutMs);
    this.probes = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metadata-probe-" + nodeId);
      t.setDaemon(true);
      return t;
    });
  }

  private static long monotonicMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** A heartbeat from {@code brokerId} arrived. */
  void touch(int brokerId) {
    synchronized (sessions) {
      sessions.touch(brokerId, monotonicMs());
    }
  }

  /**
   * This node became the active controller: every broker gets a fresh session (we cannot know
   * when they last heartbeated), and {@code suspectBrokerId} (the previous quorum leader's node,
   * -1 for none) is probed at once.
   */
  void activate(MetadataImage image, int suspectBrokerId) {
    synchronized (sessions) {
      sessions.activate(image, monotonicMs());
    }
    suspect = suspectBrokerId;
  }

  void deactivate() {
    synchronized (sessions) {
      sessions.deactivate();
    }
    suspect = -1;
  }

  /** One liveness tick of the active controller, against its current image. */
  void tick(MetadataImage image) {
    List<BrokerRegistration> expired;
    List<BrokerRegistration> silent;
    synchronized (sessions) {
      long now = monotonicMs();
      expired = sessions.expired(image, now);
      silent = new ArrayList<>(sessions.silent(image, now, sessionTimeoutMs / 3));
    }
    int s = suspect;
    suspect = -1;
    image.broker(s).filter(BrokerRegistration::isActive).filter(b -> !silent.contains(b))
        .ifPresent(silent::add);
    for (BrokerRegistration b : expired) {
      fence(b, "no heartbeat for " + sessionTimeoutMs + " ms");
    }
    if (!probeListeners) {
      return;
    }
    for (BrokerRegistration b : silent) {
      if (fencesInFlight.contains(b.id()) || !probing.add(b.id())) {
        continue;
      }
      probes.execute(() -> {
        try {
          if (ListenerProbe.refused(b, PROBE_TIMEOUT_MS)) {
            fence(b, "its listeners " + b.endpoints().stream().map(e -> e.host() + ":"
                + e.port()).toList() + " refuse connections (the process is gone)");
          }
        } finally {
          probing.remove(b.id());
        }
      });
    }
  }

  private void fence(BrokerRegistration b, String why) {
    if (closed || !fencesInFlight.add(b.id())) {
      return;
    }
    LOG.info("Fencing broker {} (epoch {}): {}", b.id(), b.epoch(), why);
    submit.apply(ControllerCommand.newBuilder().setFenceBroker(FenceBrokerRequest.newBuilder()
        .setBrokerId(b.id()).setBrokerEpoch(b.epoch())).build())
        .whenComplete((r, e) -> {
          fencesInFlight.remove(b.id());
          if (e != null) {
            LOG.warn("Fencing broker {} failed; retrying next tick", b.id(), e);
          }
        });
  }

  @Override
  public void close() {
    closed = true;
    probes.shutdownNow();
  }
}
