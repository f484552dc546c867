package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network layer's limits, with Kafka's key names. Every limit is named and bounded here so
 * that nothing in the reactor grows without one.
 *
 * @param listeners listener name to bind address, in start order (Kafka {@code listeners})
 * @param networkThreads processors shared by all listeners ({@code num.network.threads})
 * @param queuedMaxRequests capacity of the request queue between processors and handlers
 *     ({@code queued.max.requests})
 * @param requestMaxBytes largest request frame accepted, size prefix excluded ({@code
 *     socket.request.max.bytes}); a larger announced size closes the connection before any
 *     allocation
 * @param connectionsMax cap on open client connections over all listeners ({@code
 *     max.connections})
 * @param listenerConnectionsMax optional per-listener caps ({@code
 *     listener.name.<name>.max.connections}); absent means only {@code connectionsMax} applies
 * @param connectionsMaxIdleMs a connection with no request in flight and no traffic for this
 *     long is closed ({@code connections.max.idle.ms})
 * @param socketSendBufferBytes SO_SNDBUF of accepted sockets; -1 keeps the OS default ({@code
 *     socket.send.buffer.bytes})
 * @param socketReceiveBufferBytes SO_RCVBUF of accepted sockets; -1 keeps the OS default ({@code
 *     socket.receive.buffer.bytes})
 */
public record SocketServerConfig(
    Map<String, Endpoint> listeners,
    int networkThreads,
    int queuedMaxRequests,
    int requestMaxBytes,
    int connectionsMax,
    Map<String, Integer> listenerConnectionsMax,
    long connectionsMaxIdleMs,
    int socketSendBufferBytes,
    int socketReceiveBufferBytes) {

  public static final int NETWORK_THREADS_DEFAULT = 3;
  public static final int QUEUED_MAX_REQUESTS_DEFAULT = 500;
  public static final int REQUEST_MAX_BYTES_DEFAULT = 100 * 1024 * 1024;
  public static final int CONNECTIONS_MAX_DEFAULT = Integer.MAX_VALUE;
  public static final long CONNECTIONS_MAX_IDLE_MS_DEFAULT = 600_000L;
  public static final int SOCKET_SEND_BUFFER_BYTES_DEFAULT = 100 * 1024;
  public static final int SOCKET_RECEIVE_BUFFER_BYTES_DEFAULT = 100 * 1024;
  /** Socket buffer size meaning "leave the OS default". */
  public static final int SOCKET_BUFFER_OS_DEFAULT = -1;

  public SocketServerConfig {
    Checks.argument(listeners != null && !listeners.isEmpty(), "at least one listener needed");
    listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
    listenerConnectionsMax = Map.copyOf(listenerConnectionsMax);
    Checks.argument(networkThreads > 0, "num.network.threads must be > 0, got %s", networkThreads);
    Checks.argument(
        queuedMaxRequests > 0, "queued.max.requests must be > 0, got %s", queuedMaxRequests);
    Checks.argument(
        requestMaxBytes >= NetworkRequest.HEADER_PEEK_BYTES,
        "socket.request.max.bytes must be >= %s, got %s",
        NetworkRequest.HEADER_PEEK_BYTES,
        requestMaxBytes);
    Checks.argument(connectionsMax > 0, "max.connections must be > 0, got %s", connectionsMax);
    for (Map.Entry<String, Integer> e : listenerConnectionsMax.entrySet()) {
      Checks.argument(
          listeners.containsKey(e.getKey()), "max.connections for unknown listener %s", e.getKey());
      Checks.argument(
          e.getValue() > 0, "listener %s max.connections must be > 0", e.getKey());
    }
    Checks.argument(
        connectionsMaxIdleMs > 0,
        "connections.max.idle.ms must be > 0, got %s",
        connectionsMaxIdleMs);
    Checks.argument(
        socketSendBufferBytes == SOCKET_BUFFER_OS_DEFAULT || socketSendBufferBytes > 0,
        "socket.send.buffer.bytes must be -1 or > 0, got %s",
        socketSendBufferBytes);
    Checks.argument(
        socketReceiveBufferBytes == SOCKET_BUFFER_OS_DEFAULT || socketReceiveBufferBytes > 0,
        "socket.receive.buffer.bytes must be -1 or > 0, got %s",
        socketReceiveBufferBytes);
  }

  /** Kafka's defaults for everything but the listeners. */
  public static SocketServerConfig defaults(Map<String, Endpoint> listeners) {
    return new SocketServerConfig(
        listeners,
        NETWORK_THREADS_DEFAULT,
        QUEUED_MAX_REQUESTS_DEFAULT,
        REQUEST_MAX_BYTES_DEFAULT,
        CONNECTIONS_MAX_DEFAULT,
        Map.of(),
        CONNECTIONS_MAX_IDLE_MS_DEFAULT,
        SOCKET_SEND_BUFFER_BYTES_DEFAULT,
        SOCKET_RECEIVE_BUFFER_BYTES_DEFAULT);
  }

  /** The cap for one listener: its own if set, else the global one. */
  public int connectionsMax(String listener) {
    return listenerConnectionsMax.getOrDefault(listener, connectionsMax);
  }

  public SocketServerConfig withNetworkThreads(int n) {
    return new SocketServerConfig(listeners, n, queuedMaxRequests, requestMaxBytes,
        connectionsMax, listenerConnectionsMax, connectionsMaxIdleMs, socketSendBufferBytes,
        socketReceiveBufferBytes);
  }

  public SocketServerConfig withQueuedMaxRequests(int n) {
    return new SocketServerConfig(listeners, networkThreads, n, requestMaxBytes,
        connectionsMax, listenerConnectionsMax, connectionsMaxIdleMs, socketSendBufferBytes,
        socketReceiveBufferBytes);
  }

  public SocketServerConfig withRequestMaxBytes(int bytes) {
    return new SocketServerConfig(listeners, networkThreads, queuedMaxRequests, bytes,
        connectionsMax, listenerConnectionsMax, connectionsMaxIdleMs, socketSendBufferBytes,
        socketReceiveBufferBytes);
  }

  public SocketServerConfig withConnectionsMax(int n, Map<String, Integer> perListener) {
    return new SocketServerConfig(listeners, networkThreads, queuedMaxRequests, requestMaxBytes,
        n, perListener, connectionsMaxIdleMs, socketSendBufferBytes, socketReceiveBufferBytes);
  }

  public SocketServerConfig withConnectionsMaxIdleMs(long ms) {
    return new SocketServerConfig(listeners, networkThreads, queuedMaxRequests, requestMaxBytes,
        connectionsMax, listenerConnectionsMax, ms, socketSendBufferBytes,
        socketReceiveBufferBytes);
  }

  public SocketServerConfig withSocketBufferBytes(int sendBytes, int receiveBytes) {
    return new SocketServerConfig(listeners, networkThreads, queuedMaxRequests, requestMaxBytes,
        connectionsMax, listenerConnectionsMax, connectionsMaxIdleMs, sendBytes, receiveBytes);
  }
}
