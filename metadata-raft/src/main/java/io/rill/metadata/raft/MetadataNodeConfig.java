package io.rill.metadata.raft;

import io.rill.metadata.controller.BrokerHeartbeatManager;
import io.rill.protocol.util.Checks;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How to run one metadata quorum node.
 *
 * <p>Timeouts (ratis-notes.md §4.2, §6): elections of 1-2 s, since 150-300 ms caused spurious
 * elections on 2 cores; but a fast first election (RATIS-1638), so a fresh single node leads
 * within a few hundred milliseconds of start. {@code proposedClusterId} is what this node
 * proposes as the cluster id should it be the first active controller (its meta.properties'
 * id when it has one; empty: a fresh random one). A sole voter has nobody to split the vote with, so
 * its first campaign starts within {@value #SOLE_VOTER_FIRST_ELECTION_TIMEOUT_MAX_MS} ms: that
 * wait is on the path from process start to the broker's first answer. {@code topicIds} is where
 * new topic ids come from: the submitting node draws them so apply stays deterministic.
 */
public record MetadataNodeConfig(
    int nodeId,
    QuorumVoters voters,
    Path storageDir,
    Optional<String> proposedClusterId,
    long electionTimeoutMinMs,
    long electionTimeoutMaxMs,
    long firstElectionTimeoutMinMs,
    long firstElectionTimeoutMaxMs,
    long commandTimeoutMs,
    long sessionTimeoutMs,
    long snapshotThresholdEntries,
    boolean snapshotOnClose,
    Supplier<UUID> topicIds,
    long leaderRebalanceIntervalMs,
    boolean fenceRefusingBrokers) {

  public static final long ELECTION_TIMEOUT_MIN_MS = 1_000;
  public static final long ELECTION_TIMEOUT_MAX_MS = 2_000;
  public static final long FIRST_ELECTION_TIMEOUT_MIN_MS = 50;
  public static final long FIRST_ELECTION_TIMEOUT_MAX_MS = 150;
  public static final long SOLE_VOTER_FIRST_ELECTION_TIMEOUT_MIN_MS = 5;
  public static final long SOLE_VOTER_FIRST_ELECTION_TIMEOUT_MAX_MS = 15;
  /** Covers a leader change (1.5-2.5 s measured) plus a commit. */
  public static final long COMMAND_TIMEOUT_MS = 10_000;
  /** Kafka's leader.imbalance.check.interval.seconds default, 300 s. */
  public static final long LEADER_REBALANCE_INTERVAL_MS = 300_000;
  /** Entries between automatic snapshots; a snapshot then bounds the log. */
  public static final long SNAPSHOT_THRESHOLD_ENTRIES = 10_000;

  public MetadataNodeConfig {
    Checks.argument(voters.voter(nodeId).isPresent(), "node %s is not among the voters %s",
        nodeId, voters);
    Checks.argument(proposedClusterId != null
        && proposedClusterId.map(id -> !id.isBlank()).orElse(true), "blank cluster id");
    Checks.argument(electionTimeoutMinMs > 0 && electionTimeoutMaxMs > electionTimeoutMinMs,
        "bad election timeouts %s..%s", electionTimeoutMinMs, electionTimeoutMaxMs);
    Checks.argument(firstElectionTimeoutMinMs > 0
        && firstElectionTimeoutMaxMs > firstElectionTimeoutMinMs,
        "bad first election timeouts %s..%s", firstElectionTimeoutMinMs,
        firstElectionTimeoutMaxMs);
    Checks.argument(commandTimeoutMs > 0 && sessionTimeoutMs > 0 && snapshotThresholdEntries > 0,
        "non-positive limit");
    Checks.argument(storageDir != null && topicIds != null, "null field");
    Checks.argument(leaderRebalanceIntervalMs >= 0, "negative rebalance interval");
  }

  /** A node that proposes {@code clusterId} if it becomes the first active controller. */
  public static MetadataNodeConfig of(
      int nodeId, String voters, Path storageDir, String clusterId) {
    return of(nodeId, voters, storageDir, Optional.of(clusterId));
  }

  public static MetadataNodeConfig of(
      int nodeId, String voters, Path storageDir, Optional<String> proposedClusterId) {
    QuorumVoters quorum = QuorumVoters.parse(voters);
    boolean sole = quorum.voters().size() == 1;
    return new MetadataNodeConfig(nodeId, quorum, storageDir, proposedClusterId,
        ELECTION_TIMEOUT_MIN_MS, ELECTION_TIMEOUT_MAX_MS,
        sole ? SOLE_VOTER_FIRST_ELECTION_TIMEOUT_MIN_MS : FIRST_ELECTION_TIMEOUT_MIN_MS,
        sole ? SOLE_VOTER_FIRST_ELECTION_TIMEOUT_MAX_MS : FIRST_ELECTION_TIMEOUT_MAX_MS,
        COMMAND_TIMEOUT_MS, BrokerHeartbeatManager.SESSION_TIMEOUT_MS_DEFAULT,
        SNAPSHOT_THRESHOLD_ENTRIES, true, UUID::randomUUID, LEADER_REBALANCE_INTERVAL_MS, true);
  }

  public MetadataNodeConfig withSnapshotOnClose(boolean enabled) {
    return new MetadataNodeConfig(nodeId, voters, storageDir, proposedClusterId, electionTimeoutMinMs,
        electionTimeoutMaxMs, firstElectionTimeoutMinMs, firstElectionTimeoutMaxMs,
        commandTimeoutMs, sessionTimeoutMs, snapshotThresholdEntries, enabled, topicIds,
        leaderRebalanceIntervalMs, fenceRefusingBrokers);
  }

  public MetadataNodeConfig withSessionTimeoutMs(long timeoutMs) {
    return new MetadataNodeConfig(nodeId, voters, storageDir, proposedClusterId, electionTimeoutMinMs,
        electionTimeoutMaxMs, firstElectionTimeoutMinMs, firstElectionTimeoutMaxMs,
        commandTimeoutMs, timeoutMs, snapshotThresholdEntries, snapshotOnClose, topicIds,
        leaderRebalanceIntervalMs, fenceRefusingBrokers);
  }

  public MetadataNodeConfig withTopicIds(Supplier<UUID> source) {
    return new MetadataNodeConfig(nodeId, voters, storageDir, proposedClusterId, electionTimeoutMinMs,
        electionTimeoutMaxMs, firstElectionTimeoutMinMs, firstElectionTimeoutMaxMs,
        commandTimeoutMs, sessionTimeoutMs, snapshotThresholdEntries, snapshotOnClose, source,
        leaderRebalanceIntervalMs, fenceRefusingBrokers);
  }

  /**
   * Every {@code intervalMs} the active controller gives partitions back to their preferred
   * replicas (auto.leader.rebalance.enable); 0 turns it off.
   */
  public MetadataNodeConfig withLeaderRebalanceIntervalMs(long intervalMs) {
    return new MetadataNodeConfig(nodeId, voters, storageDir, proposedClusterId,
        electionTimeoutMinMs, electionTimeoutMaxMs, firstElectionTimeoutMinMs,
        firstElectionTimeoutMaxMs, commandTimeoutMs, sessionTimeoutMs, snapshotThresholdEntries,
        snapshotOnClose, topicIds, intervalMs, fenceRefusingBrokers);
  }

  /**
   * Whether the active controller fences at once a silent broker whose listeners all refuse
   * connections (ListenerProbe), instead of waiting for its session to run out.
   */
  public MetadataNodeConfig withFenceRefusingBrokers(boolean enabled) {
    return new MetadataNodeConfig(nodeId, voters, storageDir, proposedClusterId,
        electionTimeoutMinMs, electionTimeoutMaxMs, firstElectionTimeoutMinMs,
        firstElectionTimeoutMaxMs, commandTimeoutMs, sessionTimeoutMs, snapshotThresholdEntries,
        snapshotOnClose, topicIds, leaderRebalanceIntervalMs, enabled);
  }

  public QuorumVoters.Voter self() {
    return voters.voter(nodeId).orElseThrow();
  }
}
