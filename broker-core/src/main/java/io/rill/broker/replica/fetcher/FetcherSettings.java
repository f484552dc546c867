package io.rill.broker.replica.fetcher;

import io.rill.broker.config.BrokerConfig;

/** A follower's fetch settings, with Kafka's key names (replication-notes.md §1.1). */
public record FetcherSettings(int fetchersPerSource, int maxWaitMs, int minBytes,
    int partitionMaxBytes, int responseMaxBytes, int backoffMs, int socketTimeoutMs,
    String listenerName) {

  public static FetcherSettings from(BrokerConfig c) {
    return new FetcherSettings(c.getInt("num.replica.fetchers"),
        c.getInt("replica.fetch.wait.max.ms"), 1, c.getInt("replica.fetch.max.bytes"),
        c.getInt("replica.fetch.response.max.bytes"), c.getInt("replica.fetch.backoff.ms"),
        c.getInt("replica.socket.timeout.ms"), c.listeners().get(0).listenerName());
  }
}
