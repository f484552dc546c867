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
 * leader it believes in, follows NOT_LEADER hints and retries through elections; callers bound
 * the total time.
 *
 * <p>One Ratis client per voter, each starting from that voter as its leader guess: a request
 * goes through the client that last succeeded, and one that gets no answer within {@link
 * #ATTEMPT_TIMEOUT_MS} moves on to the next voter's client. A Ratis client keeps trying a leader
 * that stopped answering (a SIGSTOPped or GC-paused process accepts connections and says
 * nothing), which would stall heartbeats until the new controller fenced every broker. A write
 * retried through another client may apply twice; commands are idempotent or compare-and-set
 * (a second CreateTopics is TOPIC_ALREADY_EXISTS, a second AlterPartition INVALID_UPDATE_VERSION).
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
  /** How long one client may take before the next voter's is tried. */
  static final long ATTEMPT_TIMEOUT_MS = 2_500;

  private final List<RaftClient> clients;
  /** The client that last succeeded; guarded by nothing (a stale read only costs an attempt). */
  private volatile int current;
  /**
   * Writes go through Ratis' blocking API on these threads, not its ordered async API: the
   * ordered window holds every later write back while an earlier one retries against a dead or
   * paused leader, and one stuck AlterPartition must not stall the rest.
   */
  private final ExecutorService writers;
  private volatile OptionalInt leader = OptionalInt.empty();

  private QuorumClient(List<RaftClient> clients) {
    this.clients = List.copyOf(clients);
    this.writers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "quorum-client-write");
      t.setDaemon(true);
      return t;
    });
  }

  public static QuorumClient connect(QuorumVoters voters, RaftGroupId groupId) {
    List<RaftClient> clients = new ArrayList<>();
    for (QuorumVoters.Voter v : voters.voters()) {
      clients.add(RaftClient.newBuilder()
          .setClientId(ClientId.randomId())
          .setRaftGroup(RaftGroup.valueOf(groupId, peers(voters)))
          .setLeaderId(RaftMetadataNode.peerId(v.id()))
          .setProperties(properties())
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(RETRIES_MAX,
              TimeDuration.valueOf(RETRY_SLEEP_MS, TimeUnit.MILLISECONDS)))
          .build());
    }
    return new QuorumClient(clients);
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
    return attempt(c -> CompletableFuture.supplyAsync(() -> {
      try {
        return c.io().send(m);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, writers), 0);
  }

  CompletableFuture<RaftClientReply> read(Message m) {
    return attempt(c -> c.async().sendReadOnlyUnordered(m), 0);
  }

  /** Through the current client; on no answer in time or a failure, the next voter's. */
  private CompletableFuture<RaftClientReply> attempt(
      java.util.function.Function<RaftClient, CompletableFuture<RaftClientReply>> call,
      int tried) {
    int index = current;
    return call.apply(clients.get(index))
        .orTimeout(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .handle((reply, error) -> {
          if (error == null && reply.isSuccess()) {
            return CompletableFuture.completedFuture(reply);
          }
          if (tried + 1 >= clients.size() * 2) {
            return error == null ? CompletableFuture.completedFuture(reply)
                : CompletableFuture.<RaftClientReply>failedFuture(error);
          }
          if (current == index) {
            current = (index + 1) % clients.size();
          }
          return attempt(call, tried + 1);
        })
        .thenCompose(f -> f);
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
    for (RaftClient c : clients) {
      try {
        c.close();
      } catch (IOException e) {
        // Closing only releases channels; nothing is lost.
      }
    }
  }
}
