package io.rill.broker.group;

/**
 * A committed offset as stored and returned: the offset, the leader epoch the consumer saw (-1
 * when unknown, KIP-320), the client's metadata string (never null; "" when none) and the
 * commit time that drives expiration.
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata,
    long commitTimestampMs) {
  public static final int NO_LEADER_EPOCH = -1;

  public OffsetAndMetadata {
    metadata = metadata == null ? "" : metadata;
  }
}
