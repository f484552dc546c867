package io.rill.broker.server;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.log.CleanerSettings;

/** The log cleaner's settings read from a broker config (the node's file or the effective one). */
final class BrokerCleanerSettings {
  private BrokerCleanerSettings() {}

  static CleanerSettings of(BrokerConfig config) {
    return new CleanerSettings(config.getBoolean("log.cleaner.enable"),
        config.getInt("log.cleaner.threads"), config.getLong("log.cleaner.dedupe.buffer.size"),
        ((Number) config.get("log.cleaner.io.max.bytes.per.second")).doubleValue(),
        config.getLong("log.cleaner.backoff.ms"), config.getInt("producer.id.expiration.ms"));
  }
}
