package io.rill.metadata.image;

import io.rill.metadata.record.Endpoint;
import io.rill.protocol.util.Checks;

/** One listener a registered broker serves clients on. */
public record BrokerEndpoint(String listener, String host, int port, String securityProtocol) {
  public BrokerEndpoint {
    Checks.argument(listener != null && host != null && securityProtocol != null, "null field");
    Checks.argument(port >= 0 && port <= 65_535, "port %s out of range", port);
  }

  public static BrokerEndpoint fromProto(Endpoint e) {
    return new BrokerEndpoint(e.getListener(), e.getHost(), e.getPort(), e.getSecurityProtocol());
  }

  public Endpoint toProto() {
    return Endpoint.newBuilder()
        .setListener(listener)
        .setHost(host)
        .setPort(port)
        .setSecurityProtocol(securityProtocol)
        .build();
  }
}
