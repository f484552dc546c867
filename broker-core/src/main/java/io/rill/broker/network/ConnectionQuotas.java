package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts open client connections against {@code max.connections} and the per-listener caps.
 *
 * <p>Thread ownership: acceptors {@link #tryAcquire} before handing a socket to a processor;
 * processors {@link #release} when they close one. Both are synchronized on this object; they
 * run once per connection, never per request.
 *
 * <p>Invariant: {@code 0 <= total <= connectionsMax} and, per listener, {@code 0 <= count <=
 * cap}; {@code total} is the sum of the per-listener counts.
 */
final class ConnectionQuotas {
  private final SocketServerConfig config;
  private final Map<String, Integer> perListener = new HashMap<>();
  private int total;

  ConnectionQuotas(SocketServerConfig config) {
    this.config = config;
  }

  /** Takes a slot for a new connection on {@code listener}; false when a cap is reached. */
  synchronized boolean tryAcquire(String listener) {
    int count = perListener.getOrDefault(listener, 0);
    if (total >= config.connectionsMax() || count >= config.connectionsMax(listener)) {
      return false;
    }
    perListener.put(listener, count + 1);
    total++;
    return true;
  }

  synchronized void release(String listener) {
    int count = perListener.getOrDefault(listener, 0);
    Checks.state(count > 0 && total > 0, "released a connection never acquired on %s", listener);
    perListener.put(listener, count - 1);
    total--;
  }

  synchronized int total() {
    return total;
  }
}
