package io.rill.broker.network;

import io.rill.protocol.util.Checks;

/** A host and port to bind a listener to; port 0 asks the OS for an ephemeral port. */
public record Endpoint(String host, int port) {
  public Endpoint {
    Checks.argument(host != null && !host.isEmpty(), "listener host must not be empty");
    Checks.argument(port >= 0 && port <= 65535, "listener port %s outside 0..65535", port);
  }

  /** Parses {@code host:port}; the host may be a bracketed IPv6 literal. */
  public static Endpoint parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    Checks.argument(colon > 0, "expected host:port, got '%s'", hostPort);
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'", e);
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
