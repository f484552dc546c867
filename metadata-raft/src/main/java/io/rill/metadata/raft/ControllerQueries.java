package io.rill.metadata.raft;

import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerQuery;
import io.rill.metadata.command.ControllerQueryResponse;
import io.rill.metadata.command.DescribeQuorumResponse;
import io.rill.metadata.command.FetchMetadataRequest;
import io.rill.metadata.command.VoterState;
import io.rill.protocol.Errors;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.RaftServer.Division;

/**
 * The read-only requests of the control plane, which Ratis routes to the leader: heartbeats
 * (soft state of the active controller; logged only when they change a broker's state),
 * metadata long polls of brokers that are not voters, and the quorum's description.
 *
 * <p>Threads: called on Ratis server threads (or a broker's, for its own node); nothing here
 * blocks. Long polls wait on the state machine's next apply and are answered on {@code
 * executor}, never on the apply thread.
 */
final class ControllerQueries {
  /** The longest a metadata long poll is held; below Ratis' 3 s request timeout. */
  static final int FETCH_WAIT_MAX_MS = 2_000;

  private final RaftMetadataNode node;
  private final MetadataStateMachine stateMachine;
  private final Executor executor;

  ControllerQueries(RaftMetadataNode node, MetadataStateMachine stateMachine, Executor executor) {
    this.node = node;
    this.stateMachine = stateMachine;
    this.executor = executor;
  }

  CompletableFuture<ControllerQueryResponse> answer(ControllerQuery query) {
    return switch (query.getQueryCase()) {
      case BROKER_HEARTBEAT -> heartbeat(query.getBrokerHeartbeat());
      case FETCH_METADATA -> fetchMetadata(query.getFetchMetadata());
      case DESCRIBE_QUORUM -> CompletableFuture.completedFuture(describeQuorum());
      case QUERY_NOT_SET -> CompletableFuture.completedFuture(error(Errors.INVALID_REQUEST));
    };
  }

  private static ControllerQueryResponse error(Errors error) {
    return ControllerQueryResponse.newBuilder().setErrorCode(error.code).build();
  }

  private CompletableFuture<ControllerQueryResponse> heartbeat(BrokerHeartbeatRequest req) {
    if (!node.isActiveController()) {
      return CompletableFuture.completedFuture(error(Errors.NOT_CONTROLLER));
    }
    return node.heartbeat(ControllerCommand.newBuilder().setBrokerHeartbeat(req).build())
        .thenApply(r -> ControllerQueryResponse.newBuilder()
            .setBrokerHeartbeat(r.getBrokerHeartbeat()).build());
  }

  /** Answers as soon as the image is past {@code from_offset}, else after the wait. */
  private CompletableFuture<ControllerQueryResponse> fetchMetadata(FetchMetadataRequest req) {
    long from = req.getFromOffset();
    int waitMs = Math.max(0, Math.min(req.getMaxWaitMs(), FETCH_WAIT_MAX_MS));
    return stateMachine.imageAbove(from,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs))
        .thenApply(image -> (Void) null)
        .completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
        .thenApplyAsync(v -> ControllerQueryResponse.newBuilder()
            .setFetchMetadata(stateMachine.recordsSince(from)).build(), executor);
  }

  private ControllerQueryResponse describeQuorum() {
    if (!node.isActiveController()) {
      return error(Errors.NOT_CONTROLLER);
    }
    Division division;
    try {
      division = node.division();
    } catch (IOException e) {
      return error(Errors.NOT_CONTROLLER);
    }
    Map<String, Long> commitIndexes = new HashMap<>();
    for (CommitInfoProto c : division.getCommitInfos()) {
      commitIndexes.put(c.getServer().getId().toStringUtf8(), c.getCommitIndex());
    }
    Map<String, Long> lastContact = new HashMap<>();
    RoleInfoProto role = division.getInfo().getRoleInfoProto();
    for (ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
      lastContact.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
    }
    long leaderEnd = division.getRaftLog().getNextIndex() - 1;
    DescribeQuorumResponse.Builder out = DescribeQuorumResponse.newBuilder()
        .setLeaderId(node.nodeId())
        .setLeaderEpoch(division.getInfo().getCurrentTerm())
        .setHighWatermark(division.getRaftLog().getLastCommittedIndex());
    for (QuorumVoters.Voter v : node.voters().voters()) {
      String id = Integer.toString(v.id());
      boolean self = v.id() == node.nodeId();
      out.addVoters(VoterState.newBuilder().setNodeId(v.id())
          .setLogEndOffset(self ? leaderEnd : commitIndexes.getOrDefault(id, -1L))
          .setLastContactMsAgo(self ? 0 : lastContact.getOrDefault(id, -1L)));
    }
    return ControllerQueryResponse.newBuilder().setDescribeQuorum(out).build();
  }
}
