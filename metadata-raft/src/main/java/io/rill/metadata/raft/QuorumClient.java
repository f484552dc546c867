package io.rill.metadata.raft;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupListReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * A Ratis client of the metadata quorum over its gRPC transport (the voters' Raft ports): Raft
 * writes for controller commands, read-only requests for the rest. Ratis sends each to the
 * leader, follows NOT_LEADER hints and retries through elections; callers bound the total time.
 *
 * <p>Reads are sent unordered, so a metadata long poll never holds back a heartbeat. Threads:
 * thread-safe, non-blocking except {@link #discoverGroup}.
 */
public final class QuorumClient implements AutoCloseable {
  /** One attempt's limit; below it the controller holds a metadata long poll (2 s). */
  static final long REQUEST_TIMEOUT_MS = 3_000;
  /**
   * Retries of one request through elections (a leader change takes 1.5-2.5 s); the caller's
   * timeout usually ends the wait first.
   */
  static final int RETRIES_MAX = 50;
  static final long RETRY_SLEEP_MS = 100;
  /** Threads that carry writes; more than the writes a broker has in flight at once. */
  static final int WRITE_THREADS = 4;

  private final RaftClient client;
  /**
   * Writes go through Ratis' blocking API on these threads, not its ordered async API: the
   * ordered window holds every later write back while an earlier one retries against a dead or
   * paused leader, and one stuck AlterPartition must not stall the rest.
   */
  private final ExecutorService writers;
  private volatile OptionalInt leader = OptionalInt.empty();

  private QuorumClient(RaftClient client) {
    this.client = client;
    this.writers = Executors.newFixedThreadPool(WRITE_THREADS, r -> {
      Thread t = new Thread(r, "quorum-client-write");
      t.setDaemon(true);
      return t;
    });
  }

  public static QuorumClient connect(QuorumVoters voters, RaftGroupId groupId) {
    RaftClient c = RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(RaftGroup.valueOf(groupId, peers(voters)))
        .setProperties(properties())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(RETRIES_MAX,
            TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
        .build();
    return new QuorumClient(c);
  }

  /**
   * Asks each voter in turn which Raft group it serves; empty when none answered. A broker that
   * is not a voter learns the group this way, so it joins clusters whose group id predates it.
   */
  public static Optional<RaftGroupId> discoverGroup(QuorumVoters voters) {
    RaftProperties p = properties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    try (RaftClient c = RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(RaftGroupId.randomId(), peers(voters)))
        .setProperties(p)
        .setRetryPolicy(RetryPolicies.noRetry())
        .build()) {
      for (QuorumVoters.Voter v : voters.voters()) {
        try {
          GroupListReply reply = c.getGroupManagementApi(RaftMetadataNode.peerId(v.id())).list();
          if (reply.isSuccess() && reply.getGroupIds().size() == 1) {
            return Optional.of(reply.getGroupIds().get(0));
          }
        } catch (IOException | RuntimeException e) {
          // That voter is down or not yet serving; try the next.
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static RaftProperties properties() {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p,
        TimeDuration.valueOf(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    return p;
  }

  private static List<RaftPeer> peers(QuorumVoters voters) {
    List<RaftPeer> peers = new ArrayList<>();
    for (QuorumVoters.Voter v : voters.voters()) {
      peers.add(RaftPeer.newBuilder().setId(RaftMetadataNode.peerId(v.id()))
          .setAddress(v.address()).build());
    }
    return peers;
  }

  CompletableFuture<RaftClientReply> write(Message m) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return client.io().send(m);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, writers);
  }

  CompletableFuture<RaftClientReply> read(Message m) {
    return client.async().sendReadOnlyUnordered(m);
  }

  /** Remembers who answered: Ratis sends these requests to the leader only. */
  void noteLeader(RaftPeerId server) {
    try {
      leader = OptionalInt.of(Integer.parseInt(server.toString()));
    } catch (NumberFormatException e) {
      // Not one of ours.
    }
  }

  OptionalInt knownLeader() {
    return leader;
  }

  @Override
  public void close() {
    writers.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      // Closing only releases channels; nothing is lost.
    }
  }
}
