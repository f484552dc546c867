package io.rill.broker.group;

import io.rill.broker.config.BrokerConfig;
import io.rill.protocol.util.Checks;

/**
 * The coordinator's settings, read once from the broker config.
 *
 * @param sessionTimeoutMinMs  group.min.session.timeout.ms: shorter sessions are refused
 * @param sessionTimeoutMaxMs  group.max.session.timeout.ms: longer sessions are refused
 * @param initialRebalanceDelayMs  group.initial.rebalance.delay.ms: an empty group's first
 *     rebalance waits this long (extended per new member up to the rebalance timeout) so a
 *     fleet of consumers starting together rebalances once
 * @param offsetsRetentionMs  offsets.retention.minutes: how long an empty group keeps offsets
 * @param offsetMetadataMaxBytes  longest metadata string a commit may carry (Kafka's
 *     offset.metadata.max.bytes, 4096)
 */
public record GroupConfig(int sessionTimeoutMinMs, int sessionTimeoutMaxMs,
    int initialRebalanceDelayMs, long offsetsRetentionMs, int offsetMetadataMaxBytes,
    int commitTimeoutMs) {
  public static final int OFFSET_METADATA_MAX_BYTES_DEFAULT = 4096;

  public GroupConfig {
    Checks.argument(sessionTimeoutMinMs <= sessionTimeoutMaxMs,
        "group.min.session.timeout.ms %s > group.max.session.timeout.ms %s",
        sessionTimeoutMinMs, sessionTimeoutMaxMs);
  }

  public static GroupConfig from(BrokerConfig config) {
    return new GroupConfig(config.getInt("group.min.session.timeout.ms"),
        config.getInt("group.max.session.timeout.ms"),
        config.getInt("group.initial.rebalance.delay.ms"),
        config.getInt("offsets.retention.minutes") * 60_000L,
        OFFSET_METADATA_MAX_BYTES_DEFAULT, config.getInt("offsets.commit.timeout.ms"));
  }
}
