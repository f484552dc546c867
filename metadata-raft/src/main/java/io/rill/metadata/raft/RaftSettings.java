package io.rill.metadata.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** The Ratis settings of a metadata node, with the reason for each (ratis-notes.md §3, §4). */
final class RaftSettings {
  /** Metadata commands are small; 8 MB segments keep purge granular. */
  static final String LOG_SEGMENT_SIZE_MAX = "8MB";
  /** Keep a tail behind the snapshot so a briefly lagging follower avoids a snapshot install. */
  static final int PURGE_PRESERVATION_ENTRIES = 1_000;
  /**
   * How a leader retries a follower it cannot reach: Ratis' default ends at one attempt per 5 s
   * after 30 failures, so a voter restarted after a minute down heard from its leader only up to
   * 5 s after it was back (measured). Ours settles at one attempt per 500 ms.
   */
  static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms,50, 500ms,1000000";
  /**
   * Ratis closes its server after a JVM pause longer than this (default 60 s), and the node then
   * runs on as a broker whose metadata never moves again (seen when a test kept a node SIGSTOPped
   * for 65 s). A paused voter that resumes is simply behind: Raft brings it back as a follower,
   * so the close is effectively off.
   */
  static final long JVM_PAUSE_CLOSE_THRESHOLD_HOURS = 24 * 365;
  /** Two snapshots on disk: the newest, and one to fall back on. Default -1 keeps all. */
  static final int SNAPSHOT_RETENTION_FILES = 2;

  private RaftSettings() {}

  static RaftProperties of(MetadataNodeConfig config) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    // Bind the voter's own host: the default is every interface.
    GrpcConfigKeys.Server.setHost(p, config.self().host());
    GrpcConfigKeys.Server.setPort(p, config.self().port());
    // Default storage is /tmp/raft-server.
    RaftServerConfigKeys.setStorageDir(p, List.of(config.storageDir().toFile()));
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(config.electionTimeoutMinMs()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(config.electionTimeoutMaxMs()));
    // RATIS-1638: a node with no leader yet campaigns quickly.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, ms(config.firstElectionTimeoutMinMs()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, ms(config.firstElectionTimeoutMaxMs()));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(LOG_SEGMENT_SIZE_MAX));
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);
    RaftServerConfigKeys.setCloseThreshold(p,
        TimeDuration.valueOf(JVM_PAUSE_CLOSE_THRESHOLD_HOURS, TimeUnit.HOURS));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, PURGE_PRESERVATION_ENTRIES);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThresholdEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, SNAPSHOT_RETENTION_FILES);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, config.snapshotOnClose());
    // Explicit snapshot requests (tools, tests) are honoured however few entries are new.
    RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);
    return p;
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }
}
