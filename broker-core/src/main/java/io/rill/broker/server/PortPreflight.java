package io.rill.broker.server;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.Endpoint;
import io.rill.broker.config.QuorumVoter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Before a node starts anything, checks that every port it is about to listen on is free: each
 * client listener with a fixed port, and (for a controller) the Raft port of its own entry in
 * {@code controller.quorum.voters}. A busy port stops the start with a message naming the key
 * and the port, before any data directory, thread or server exists.
 *
 * <p>Why the Raft port matters most: Ratis' gRPC server calls {@code System.exit(1)} when it
 * cannot bind, inside the start; the JVM then runs the shutdown hook, which waits for the start
 * to finish, and the node hung, deaf to SIGTERM (issue 15). Checking first turns that into a
 * clear exit 1. A port taken between this check and the real bind is still possible; {@link
 * RillNode#close} bounds its wait for the start so that case ends too.
 *
 * <p>Stateless; each probe socket is closed before the next is opened.
 */
final class PortPreflight {
  private PortPreflight() {}

  /** @throws PortInUseException naming the first configuration key whose port is taken */
  static void check(BrokerConfig config) throws PortInUseException {
    for (Endpoint e : config.listeners()) {
      // A controller-only node binds no client listener.
      if (e.port() != 0 && config.isBroker()) {
        probe("listeners", "listener " + e.listenerName(), e.host(), e.port());
      }
    }
    if (config.isController()) {
      for (QuorumVoter v : config.voters()) {
        if (v.id() == config.nodeId()) {
          probe("controller.quorum.voters", "the Raft port of voter " + v, v.host(), v.port());
        }
      }
    }
  }

  private static void probe(String key, String what, String host, int port)
      throws PortInUseException {
    InetSocketAddress address = host == null || host.isEmpty() || host.equals("0.0.0.0")
        ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as the real servers do: a TIME_WAIT socket is no conflict
      s.bind(address);
    } catch (IOException e) {
      throw new PortInUseException(key + ": cannot listen on " + hostPort(host, port) + " for "
          + what + " (" + e.getMessage() + "). Another process, perhaps another Rill node, "
          + "holds it: stop that one or give " + key + " a free port.", e);
    }
  }

  private static String hostPort(String host, int port) {
    return (host == null || host.isEmpty() ? "*" : host) + ":" + port;
  }

  /** A port this node needs is taken; the message names the configuration key. */
  static final class PortInUseException extends IOException {
    PortInUseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
