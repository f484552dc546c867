package io.rill.metadata.controller;

import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Broker sessions: soft state of the active controller only, never logged (KRaft's
 * {@code BrokerHeartbeatManager}). When a broker's last heartbeat is older than the session
 * timeout, the active controller logs a FenceBroker command for it; apply then moves its
 * leaderships. A newly active controller gives every registered broker a fresh session
 * ({@link #activate}), since it cannot know when they last heartbeated.
 *
 * <p>Pure: time is passed in (monotonic milliseconds). Not thread-safe: the owner (the
 * quorum node's liveness thread) serialises calls with a lock.
 */
public final class BrokerHeartbeatManager {
  /** Rill's broker.session.timeout.ms default (Kafka's is 9 s; see BrokerConfigDef). */
  public static final long SESSION_TIMEOUT_MS_DEFAULT = 2_500;

  private final long sessionTimeoutMs;
  /** broker id -> monotonic ms of its last heartbeat (or of activation). */
  private final Map<Integer, Long> lastContactMs = new HashMap<>();
  private boolean active;

  public BrokerHeartbeatManager(long sessionTimeoutMs) {
    Checks.argument(sessionTimeoutMs > 0, "session timeout %s <= 0", sessionTimeoutMs);
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  /** This node became the active controller: every broker gets a fresh session. */
  public void activate(MetadataImage image, long nowMs) {
    lastContactMs.clear();
    for (int id : image.brokers().keySet()) {
      lastContactMs.put(id, nowMs);
    }
    active = true;
  }

  /** This node stopped being the active controller: forget all sessions. */
  public void deactivate() {
    lastContactMs.clear();
    active = false;
  }

  public boolean isActive() {
    return active;
  }

  public void touch(int brokerId, long nowMs) {
    if (active) {
      lastContactMs.put(brokerId, nowMs);
    }
  }

  /**
   * The unfenced brokers not heard from for longer than {@code silentMs} (shorter than the
   * session timeout): the ones worth checking for a dead listener before their session ends.
   */
  public List<BrokerRegistration> silent(MetadataImage image, long nowMs, long silentMs) {
    List<BrokerRegistration> out = new ArrayList<>();
    if (!active) {
      return out;
    }
    for (BrokerRegistration b : image.brokers().values()) {
      Long last = lastContactMs.get(b.id());
      if (b.isActive() && last != null && nowMs - last > silentMs) {
        out.add(b);
      }
    }
    return out;
  }

  /**
   * The unfenced brokers whose session has expired, each with the epoch to fence. Brokers the
   * image registered after activation get their session started here.
   */
  public List<BrokerRegistration> expired(MetadataImage image, long nowMs) {
    List<BrokerRegistration> out = new ArrayList<>();
    if (!active) {
      return out;
    }
    for (BrokerRegistration b : image.brokers().values()) {
      long last = lastContactMs.computeIfAbsent(b.id(), id -> nowMs);
      if (b.isActive() && nowMs - last > sessionTimeoutMs) {
        out.add(b);
      }
    }
    lastContactMs.keySet().retainAll(image.brokers().keySet());
    return out;
  }
}
