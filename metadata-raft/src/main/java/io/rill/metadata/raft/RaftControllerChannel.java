package io.rill.metadata.raft;

import io.rill.metadata.ControllerChannel;
import io.rill.metadata.ControllerException;
import io.rill.metadata.TopicIds;
import io.rill.metadata.command.AllocateProducerIdsRequest;
import io.rill.metadata.command.AllocateProducerIdsResponse;
import io.rill.metadata.command.AlterConfigsRequest;
import io.rill.metadata.command.AlterConfigsResponse;
import io.rill.metadata.command.AlterPartitionReassignmentsRequest;
import io.rill.metadata.command.AlterPartitionReassignmentsResponse;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.AlterPartitionResponse;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.BrokerHeartbeatResponse;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerQuery;
import io.rill.metadata.command.ControllerQueryResponse;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.command.CreatePartitionsRequest;
import io.rill.metadata.command.CreatePartitionsResponse;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.CreateTopicsResponse;
import io.rill.metadata.command.DeleteTopicsRequest;
import io.rill.metadata.command.DeleteTopicsResponse;
import io.rill.metadata.command.DescribeQuorumRequest;
import io.rill.metadata.command.DescribeQuorumResponse;
import io.rill.metadata.command.ElectLeadersRequest;
import io.rill.metadata.command.ElectLeadersResponse;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.metadata.command.UnregisterBrokerRequest;
import io.rill.metadata.command.UnregisterBrokerResponse;
import io.rill.protocol.Errors;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The {@link ControllerChannel} of every node: straight into the local voter when it is the
 * active controller, otherwise through a Ratis client to whichever voter leads (Ratis follows
 * NOT_LEADER hints and retries through elections). Commands are Raft writes; heartbeats,
 * metadata fetches and quorum descriptions are read-only requests the leader answers without
 * logging them ({@link ControllerQueries}).
 *
 * <p>Bounded: every request fails with a {@link ControllerException} after {@code timeoutMs}.
 * Threads: any; futures complete on Ratis client threads or the local node's.
 */
public final class RaftControllerChannel implements ControllerChannel {
  /** Covers a leader election (1.5-2.5 s measured) plus a commit, as the node's own. */
  public static final long TIMEOUT_MS = MetadataNodeConfig.COMMAND_TIMEOUT_MS;
  /** Back-off while the leader is elected but not yet ready (it answers NOT_CONTROLLER). */
  static final long NOT_READY_BACKOFF_MS = 100;

  private final Optional<RaftMetadataNode> local;
  private final QuorumClient remote;
  private final long timeoutMs;
  private volatile boolean closed;

  public RaftControllerChannel(Optional<RaftMetadataNode> local, QuorumClient remote,
      long timeoutMs) {
    this.local = local;
    this.remote = remote;
    this.timeoutMs = timeoutMs;
  }

  private boolean localLeads() {
    return local.isPresent() && local.get().isActiveController();
  }

  /** Sends a command; on a local NOT_CONTROLLER (leadership just moved) goes remote. */
  private CompletableFuture<ControllerResponse> send(ControllerCommand command) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    ControllerCommand c = TopicIds.assign(command, UUID::randomUUID);
    if (localLeads()) {
      return local.get().submit(c).exceptionallyCompose(e -> {
        Throwable cause = unwrap(e);
        return cause instanceof ControllerException ce && ce.error() == Errors.NOT_CONTROLLER
            ? remoteSend(c) : CompletableFuture.failedFuture(cause);
      });
    }
    return remoteSend(c);
  }

  private CompletableFuture<ControllerResponse> remoteSend(ControllerCommand c) {
    return remote.write(Message.valueOf(UnsafeByteOperations.unsafeWrap(c.toByteArray())))
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .handle((reply, error) -> parse(reply, error, ControllerResponse::parseFrom));
  }

  private CompletableFuture<ControllerQueryResponse> query(ControllerQuery q) {
    long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return query(q, deadlineNs);
  }

  private CompletableFuture<ControllerQueryResponse> query(ControllerQuery q, long deadlineNs) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    long remainingNs = deadlineNs - System.nanoTime();
    if (remainingNs <= 0) {
      return CompletableFuture.failedFuture(new ControllerException(Errors.REQUEST_TIMED_OUT,
          OptionalInt.empty(), "no active controller answered within " + timeoutMs + " ms"));
    }
    CompletableFuture<ControllerQueryResponse> attempt = localLeads()
        ? local.get().query(q)
        : remote.read(Message.valueOf(UnsafeByteOperations.unsafeWrap(q.toByteArray())))
            .orTimeout(remainingNs, TimeUnit.NANOSECONDS)
            .handle((reply, error) -> parse(reply, error, ControllerQueryResponse::parseFrom));
    return attempt.thenCompose(r -> {
      if (r.getErrorCode() != Errors.NOT_CONTROLLER.code) {
        return CompletableFuture.completedFuture(r);
      }
      // Elected but not ready yet, or leadership moved under us: ask again shortly.
      return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
              NOT_READY_BACKOFF_MS, TimeUnit.MILLISECONDS))
          .thenCompose(v -> query(q, deadlineNs));
    });
  }

  /** Parses a reply's message, or turns the failure into a {@link ControllerException}. */
  private <T> T parse(RaftClientReply reply, Throwable error, Parser<T> parser) {
    Throwable cause = unwrap(error);
    if (cause instanceof java.util.concurrent.TimeoutException) {
      throw new ControllerException(Errors.REQUEST_TIMED_OUT, OptionalInt.empty(),
          "no active controller answered within " + timeoutMs + " ms");
    }
    if (cause != null) {
      throw new ControllerException(Errors.NOT_CONTROLLER, "controller request failed: " + cause,
          cause);
    }
    if (!reply.isSuccess()) {
      throw new ControllerException(Errors.NOT_CONTROLLER,
          "controller request failed: " + reply.getException(), reply.getException());
    }
    remote.noteLeader(reply.getServerId());
    try {
      return parser.parse(reply.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unparseable controller reply", e);
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(java.nio.ByteBuffer bytes) throws com.google.protobuf.InvalidProtocolBufferException;
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private ControllerException closedException() {
    return new ControllerException(Errors.NOT_CONTROLLER, OptionalInt.empty(),
        "the controller channel is closed");
  }

  private <T> CompletableFuture<Answer<T>> answer(ControllerCommand command,
      Function<ControllerResponse, T> part) {
    return send(command).thenApply(r -> new Answer<>(part.apply(r), r.getMetadataOffset()));
  }

  @Override
  public CompletableFuture<Answer<CreateTopicsResponse>> createTopics(CreateTopicsRequest r) {
    return answer(ControllerCommand.newBuilder().setCreateTopics(r).build(),
        ControllerResponse::getCreateTopics);
  }

  @Override
  public CompletableFuture<Answer<DeleteTopicsResponse>> deleteTopics(DeleteTopicsRequest r) {
    return answer(ControllerCommand.newBuilder().setDeleteTopics(r).build(),
        ControllerResponse::getDeleteTopics);
  }

  @Override
  public CompletableFuture<Answer<CreatePartitionsResponse>> createPartitions(
      CreatePartitionsRequest r) {
    return answer(ControllerCommand.newBuilder().setCreatePartitions(r).build(),
        ControllerResponse::getCreatePartitions);
  }

  @Override
  public CompletableFuture<Answer<AlterConfigsResponse>> alterConfigs(AlterConfigsRequest r) {
    return answer(ControllerCommand.newBuilder().setAlterConfigs(r).build(),
        ControllerResponse::getAlterConfigs);
  }

  @Override
  public CompletableFuture<Answer<AlterConfigsResponse>> incrementalAlterConfigs(
      IncrementalAlterConfigsRequest r) {
    return answer(ControllerCommand.newBuilder().setIncrementalAlterConfigs(r).build(),
        ControllerResponse::getIncrementalAlterConfigs);
  }

  @Override
  public CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(
      AllocateProducerIdsRequest r) {
    return send(ControllerCommand.newBuilder().setAllocateProducerIds(r).build())
        .thenApply(ControllerResponse::getAllocateProducerIds);
  }

  @Override
  public CompletableFuture<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest r) {
    return send(ControllerCommand.newBuilder().setRegisterBroker(r).build())
        .thenApply(ControllerResponse::getRegisterBroker);
  }

  @Override
  public CompletableFuture<BrokerHeartbeatResponse> brokerHeartbeat(BrokerHeartbeatRequest r) {
    return query(ControllerQuery.newBuilder().setBrokerHeartbeat(r).build())
        .thenApply(ControllerQueryResponse::getBrokerHeartbeat);
  }

  @Override
  public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest r) {
    return send(ControllerCommand.newBuilder().setAlterPartition(r).build())
        .thenApply(ControllerResponse::getAlterPartition);
  }

  @Override
  public CompletableFuture<DescribeQuorumResponse> describeQuorum() {
    return query(ControllerQuery.newBuilder()
        .setDescribeQuorum(DescribeQuorumRequest.getDefaultInstance()).build())
        .thenApply(ControllerQueryResponse::getDescribeQuorum);
  }

  @Override
  public CompletableFuture<Answer<ElectLeadersResponse>> electLeaders(ElectLeadersRequest r) {
    return answer(ControllerCommand.newBuilder().setElectLeaders(r).build(),
        ControllerResponse::getElectLeaders);
  }

  @Override
  public CompletableFuture<Answer<AlterPartitionReassignmentsResponse>>
      alterPartitionReassignments(AlterPartitionReassignmentsRequest r) {
    return answer(ControllerCommand.newBuilder().setAlterPartitionReassignments(r).build(),
        ControllerResponse::getAlterPartitionReassignments);
  }

  @Override
  public CompletableFuture<Answer<UnregisterBrokerResponse>> unregisterBroker(
      UnregisterBrokerRequest r) {
    return answer(ControllerCommand.newBuilder().setUnregisterBroker(r).build(),
        ControllerResponse::getUnregisterBroker);
  }

  @Override
  public OptionalInt activeControllerId() {
    if (local.isPresent()) {
      OptionalInt leader = local.get().leaderId();
      if (leader.isPresent()) {
        return leader;
      }
    }
    return remote.knownLeader();
  }

  @Override
  public void close() {
    closed = true;
  }
}
