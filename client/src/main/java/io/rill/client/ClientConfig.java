package io.rill.client;

import java.util.List;

/**
 * How to reach the cluster: bootstrap addresses, our client id, and the one timeout that bounds
 * connecting and each request (exceeding it is {@link ClientException.Unreachable}).
 */
public record ClientConfig(List<String> bootstrap, String clientId, int timeoutMs) {
  public ClientConfig {
    bootstrap = List.copyOf(bootstrap);
    if (bootstrap.isEmpty()) {
      throw new IllegalArgumentException("no bootstrap server");
    }
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeout must be positive: " + timeoutMs);
    }
  }
}
