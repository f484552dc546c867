package io.rill.metadata.raft;

import io.rill.metadata.ClusterIds;
import io.rill.metadata.ControllerException;
import io.rill.metadata.MetadataListener;
import io.rill.metadata.TopicIds;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerQuery;
import io.rill.metadata.command.ElectPreferredLeadersRequest;
import io.rill.metadata.controller.PartitionControl;
import io.rill.metadata.command.ControllerQueryResponse;
import io.rill.metadata.command.InitClusterRequest;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.controller.ControllerResult;
import io.rill.metadata.controller.MetadataController;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServer.Division;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metadata quorum voter in this JVM: a Ratis server whose state machine holds the
 * {@link MetadataImage}, plus the active-controller duties that are not in the log (broker
 * sessions, heartbeats, the metadata long polls of brokers that are not voters). Brokers reach
 * it only through a {@link io.rill.metadata.ControllerChannel} (in process when it leads) and a
 * {@link io.rill.metadata.MetadataSource}, never directly.
 *
 * <p>Identity: every voter of a cluster is in one Raft group. A node that has Raft storage
 * keeps the group it was formed with; a new one derives the group id from the voter list, so
 * nodes given different voter lists end up in different groups and never form a quorum with
 * each other (their logs say no leader is found). The cluster id is agreed in the log: the
 * first active controller proposes one ({@link MetadataNodeConfig#proposedClusterId}).
 *
 * <p>Commands are accepted only on the leader once it is ready (it has applied everything
 * committed before its term); elsewhere they fail with NOT_CONTROLLER and the leader's id.
 * Right after start, while no leader is known yet, a command waits (up to the command
 * timeout) for the election rather than failing.
 *
 * <p>Threads: public methods are thread-safe. Ratis threads apply commands and complete the
 * futures; {@code metadata-liveness-<id>} runs the active controller's watch over brokers
 * ({@link BrokerLiveness}) and the preferred-leader rebalance.
 */
public final class RaftMetadataNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftMetadataNode.class);
  /** How often the active controller looks for expired broker sessions. */
  static final long LIVENESS_TICK_MS = 250;
  /** Longest a command waiting for an election sleeps between looks at the Raft role. */
  static final long ROLE_RECHECK_MS = 100;

  private final MetadataNodeConfig config;
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final MetadataStateMachine stateMachine;
  private final RaftServer server;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final BrokerLiveness brokers;
  private final ScheduledExecutorService liveness;
  /** The quorum leader before the last change this node saw. */
  private volatile RaftPeerId previousLeader;
  private final List<CompletableFuture<Void>> roleWaiters = new ArrayList<>();
  private final ControllerQueries queries;
  /** Builds metadata long-poll answers off the Ratis threads. */
  private final java.util.concurrent.ExecutorService queryExecutor;
  /** The last leader this node logged, so each change is logged once. */
  private volatile RaftPeerId loggedLeader;
  private volatile boolean closed;

  private RaftMetadataNode(MetadataNodeConfig config) throws IOException {
    this.config = config;
    this.groupId = RaftGroups.groupIdFor(config.storageDir(), config.voters());
    this.selfId = peerId(config.nodeId());
    this.brokers = new BrokerLiveness(config.nodeId(), config.sessionTimeoutMs(),
        config.fenceRefusingBrokers(), this::submit);
    this.stateMachine = new MetadataStateMachine(new Roles());
    this.queryExecutor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metadata-queries-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
    this.queries = new ControllerQueries(this, stateMachine, queryExecutor);
    stateMachine.setQueryHandler(queries::answer);
    List<RaftPeer> peers = new ArrayList<>();
    for (QuorumVoters.Voter v : config.voters().voters()) {
      peers.add(RaftPeer.newBuilder().setId(peerId(v.id())).setAddress(v.address()).build());
    }
    this.server = RaftServer.newBuilder()
        .setServerId(selfId)
        .setGroup(RaftGroup.valueOf(groupId, peers))
        .setStateMachine(stateMachine)
        .setProperties(RaftSettings.of(config))
        // FORMAT (the default) refuses an existing directory; RECOVER formats a fresh one.
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    this.liveness = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metadata-liveness-" + config.nodeId());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts this voter; returns once the server runs (the election completes shortly after). */
  public static RaftMetadataNode start(MetadataNodeConfig config) throws IOException {
    RaftMetadataNode node = new RaftMetadataNode(config);
    try {
      node.server.start();
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    node.liveness.scheduleWithFixedDelay(node::checkSessions, LIVENESS_TICK_MS,
        LIVENESS_TICK_MS, TimeUnit.MILLISECONDS);
    // Metadata long polls that timed out on a quiet cluster are let go within a second.
    node.liveness.scheduleWithFixedDelay(node.stateMachine::wakeWaiters, 1, 1, TimeUnit.SECONDS);
    long rebalanceMs = config.leaderRebalanceIntervalMs();
    if (rebalanceMs > 0) {
      node.liveness.scheduleWithFixedDelay(node::rebalanceLeaders, rebalanceMs, rebalanceMs,
          TimeUnit.MILLISECONDS);
    }
    return node;
  }

  public static RaftMetadataNode start(int nodeId, String voters, Path storageDir,
      String clusterId) throws IOException {
    return start(MetadataNodeConfig.of(nodeId, voters, storageDir, clusterId));
  }

  static RaftPeerId peerId(int nodeId) {
    return RaftPeerId.valueOf(Integer.toString(nodeId));
  }

  public int nodeId() {
    return config.nodeId();
  }

  public RaftGroupId groupId() {
    return groupId;
  }

  public QuorumVoters voters() {
    return config.voters();
  }

  /** The latest image this voter has applied (on a follower it may lag the leader's). */
  public MetadataImage image() {
    return stateMachine.image();
  }

  /**
   * Adds a listener and calls it at once with the current image (as a delta from empty); then
   * on the Ratis apply thread for every change, so it must only hand the image off.
   */
  public void addListener(MetadataListener listener) {
    stateMachine.addListener(listener);
  }

  /** The Raft index of the last log entry this voter has applied. */
  public long lastAppliedIndex() {
    TermIndex applied = stateMachine.getLastAppliedTermIndex();
    return applied == null ? -1 : applied.getIndex();
  }

  /** Answers a read-only request here; NOT_CONTROLLER unless this node is the active one. */
  public CompletableFuture<ControllerQueryResponse> query(ControllerQuery query) {
    return queries.answer(query);
  }

  Division division() throws IOException {
    return server.getDivision(groupId);
  }

  /** The active controller's node id, when known. */
  public OptionalInt leaderId() {
    RaftPeerId leader = info().getLeaderId();
    return leader == null ? OptionalInt.empty()
        : OptionalInt.of(Integer.parseInt(leader.toString()));
  }

  /** This node is the active controller: leader, and caught up with its term. */
  public boolean isActiveController() {
    DivisionInfo info = info();
    return info.isLeader() && info.isLeaderReady();
  }

  private DivisionInfo info() {
    try {
      return server.getDivision(groupId).getInfo();
    } catch (IOException e) {
      throw new UncheckedIOException("metadata group " + groupId + " is not running", e);
    }
  }

  /**
   * Logs a command through this node, which must be the active controller (elsewhere it fails
   * with NOT_CONTROLLER and a hint); waits for an election in progress up to the command
   * timeout. For the controller channel, the node's own duties and tests.
   */
  public CompletableFuture<ControllerResponse> submit(ControllerCommand command) {
    if (closed) {
      return CompletableFuture.failedFuture(new ControllerException(Errors.NOT_CONTROLLER,
          OptionalInt.empty(), "metadata node " + config.nodeId() + " is closed"));
    }
    long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.commandTimeoutMs());
    return awaitRoleSettled(deadlineNs).thenCompose(ignored -> {
      if (closed) {
        throw new ControllerException(Errors.NOT_CONTROLLER, OptionalInt.empty(),
            "metadata node " + config.nodeId() + " is closed");
      }
      if (!isActiveController()) {
        throw ControllerException.notController(leaderId());
      }
      if (command.hasBrokerHeartbeat()) {
        return heartbeat(command);
      }
      return replicate(TopicIds.assign(command, config.topicIds()), deadlineNs);
    });
  }

  /** Completes once a leader is known and, if it is this node, ready; or at the deadline. */
  private CompletableFuture<Void> awaitRoleSettled(long deadlineNs) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    synchronized (roleWaiters) {
      if (closed || roleSettled()) {
        return CompletableFuture.completedFuture(null);
      }
      roleWaiters.add(waiter);
    }
    // Role events wake waiters; the re-check interval only guards against a missed event.
    long waitNs = Math.min(Math.max(0, deadlineNs - System.nanoTime()),
        TimeUnit.MILLISECONDS.toNanos(ROLE_RECHECK_MS));
    return waiter.completeOnTimeout(null, waitNs, TimeUnit.NANOSECONDS)
        .whenComplete((v, e) -> {
          synchronized (roleWaiters) {
            roleWaiters.remove(waiter);
          }
        })
        .thenCompose(v -> closed || roleSettled() || System.nanoTime() >= deadlineNs
            ? CompletableFuture.completedFuture(null) : awaitRoleSettled(deadlineNs));
  }

  private boolean roleSettled() {
    DivisionInfo info = info();
    return info.getLeaderId() != null && (!info.isLeader() || info.isLeaderReady());
  }

  private void wakeRoleWaiters() {
    List<CompletableFuture<Void>> waiters;
    synchronized (roleWaiters) {
      waiters = new ArrayList<>(roleWaiters);
      roleWaiters.clear();
    }
    waiters.forEach(w -> w.complete(null));
  }

  /**
   * Heartbeats are soft state: they refresh the broker's session here, and go through the log
   * only when they change the broker's state (fence, unfence, shutdown).
   */
  CompletableFuture<ControllerResponse> heartbeat(ControllerCommand command) {
    int brokerId = command.getBrokerHeartbeat().getBrokerId();
    brokers.touch(brokerId);
    MetadataImage img = image();
    ControllerResult<ControllerResponse> dryRun =
        MetadataController.execute(img, command, img.offset());
    if (dryRun.records().isEmpty()) {
      return CompletableFuture.completedFuture(dryRun.response());
    }
    long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.commandTimeoutMs());
    return replicate(command, deadlineNs);
  }

  private CompletableFuture<ControllerResponse> replicate(ControllerCommand command,
      long deadlineNs) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(selfId)
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(command.toByteArray())))
        .setType(RaftClientRequest.writeRequestType())
        .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ControllerException(Errors.NOT_CONTROLLER,
          "metadata node " + config.nodeId() + " cannot take commands", e));
    }
    long remainingNs = Math.max(1, deadlineNs - System.nanoTime());
    return reply.orTimeout(remainingNs, TimeUnit.NANOSECONDS)
        .handle((r, error) -> toResponse(r, error));
  }

  private ControllerResponse toResponse(RaftClientReply reply, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      throw new ControllerException(Errors.REQUEST_TIMED_OUT, OptionalInt.empty(),
          "metadata command not committed within " + config.commandTimeoutMs() + " ms");
    }
    if (cause != null) {
      throw new ControllerException(Errors.NOT_CONTROLLER, "metadata command failed", cause);
    }
    if (!reply.isSuccess()) {
      NotLeaderException notLeader = reply.getNotLeaderException();
      if (notLeader != null || reply.getLeaderNotReadyException() != null) {
        OptionalInt hint = notLeader != null && notLeader.getSuggestedLeader() != null
            ? OptionalInt.of(Integer.parseInt(notLeader.getSuggestedLeader().getId().toString()))
            : leaderId();
        throw ControllerException.notController(hint);
      }
      throw new ControllerException(Errors.NOT_CONTROLLER, "metadata command failed",
          reply.getException());
    }
    try {
      return ControllerResponse.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unparseable controller response", e);
    }
  }

  /** Liveness tick: the active controller's watch over brokers ({@link BrokerLiveness}). */
  private void checkSessions() {
    try {
      if (!closed && isActiveController()) {
        brokers.tick(image());
      }
    } catch (RuntimeException e) {
      // The tick must survive a transient failure (e.g. the division closing under it).
      LOG.warn("Broker liveness check failed", e);
    }
  }

  /**
   * The active controller gives partitions back to their preferred replicas when any has
   * drifted (a dry run first, so a balanced cluster logs nothing).
   */
  private void rebalanceLeaders() {
    try {
      if (closed || !isActiveController()
          || PartitionControl.electPreferredLeaders(image()).isEmpty()) {
        return;
      }
      submit(ControllerCommand.newBuilder().setElectPreferredLeaders(
          ElectPreferredLeadersRequest.getDefaultInstance()).build())
          .whenComplete((r, e) -> {
            if (e != null) {
              LOG.warn("Preferred leader election failed; retrying next interval: {}",
                  e.toString());
            } else {
              LOG.info("Gave {} partition(s) back to their preferred leader",
                  r.getElectPreferredLeaders().getElected());
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("Leader balance check failed", e);
    }
  }

  private static long monotonicMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** Asks Ratis for a snapshot now; completes with its Raft index. */
  public CompletableFuture<Long> takeSnapshot() {
    SnapshotManagementRequest req = SnapshotManagementRequest.newCreate(clientId, selfId,
        groupId, callIds.incrementAndGet(), config.commandTimeoutMs());
    return server.snapshotManagementAsync(req).thenApply(reply -> {
      if (!reply.isSuccess()) {
        throw new CompletionException(reply.getException());
      }
      return reply.getLogIndex();
    });
  }

  /** Raft index of the snapshot loaded at start (-1 when none); for tests and tools. */
  public long loadedSnapshotIndex() {
    return stateMachine.loadedSnapshotIndex();
  }

  /** Stops this node's part of the quorum (snapshotting first); idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    liveness.shutdownNow();
    brokers.close();
    queryExecutor.shutdownNow();
    wakeRoleWaiters();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing metadata node " + config.nodeId(), e);
    }
  }

  /**
   * A newly active controller of a cluster that has no id yet proposes one (on the liveness
   * thread: the role events arrive on Ratis threads, which a command must not wait on).
   */
  private void proposeClusterId() {
    if (closed || image().clusterId().isPresent()) {
      return;
    }
    String proposed = config.proposedClusterId().orElseGet(ClusterIds::random);
    submit(ControllerCommand.newBuilder().setInitCluster(
        InitClusterRequest.newBuilder().setProposedClusterId(proposed)).build())
        .whenComplete((r, e) -> {
          if (e != null) {
            LOG.warn("Proposing cluster id {} failed: {}", proposed, e.toString());
          } else {
            LOG.info("Cluster id is {}", r.getInitCluster().getClusterId());
          }
        });
  }

  /** Role events from the state machine (Ratis server threads). */
  private final class Roles implements MetadataStateMachine.RoleListener {
    @Override
    public void onLeaderChanged(RaftPeerId leader) {
      if (leader != null && !leader.equals(loggedLeader)) {
        previousLeader = loggedLeader;
        loggedLeader = leader;
        long term = -1;
        try {
          term = division().getInfo().getCurrentTerm();
        } catch (IOException | RuntimeException e) {
          // Only for the log line.
        }
        // bin/cluster status reads this exact line.
        LOG.info("Quorum leader is now node {} (term {})", leader, term);
      }
      if (!selfId.equals(leader)) {
        brokers.deactivate();
      }
      wakeRoleWaiters();
    }

    @Override
    public void onLeaderReady() {
      // The old leader's node is often the one that died: its broker is probed at once.
      RaftPeerId previous = previousLeader;
      brokers.activate(image(), previous == null || previous.equals(selfId) ? -1
          : Integer.parseInt(previous.toString()));
      wakeRoleWaiters();
      if (!closed) {
        liveness.execute(RaftMetadataNode.this::proposeClusterId);
      }
    }

    @Override
    public void onNotLeader() {
      brokers.deactivate();
      wakeRoleWaiters();
    }
  }
}
