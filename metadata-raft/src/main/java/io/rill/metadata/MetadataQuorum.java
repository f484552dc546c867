package io.rill.metadata;

import io.rill.metadata.command.AllocateProducerIdsRequest;
import io.rill.metadata.command.AllocateProducerIdsResponse;
import io.rill.metadata.command.AlterConfigsRequest;
import io.rill.metadata.command.AlterConfigsResponse;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.AlterPartitionResponse;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.BrokerHeartbeatResponse;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.command.CreatePartitionsRequest;
import io.rill.metadata.command.CreatePartitionsResponse;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.CreateTopicsResponse;
import io.rill.metadata.command.DeleteTopicsRequest;
import io.rill.metadata.command.DeleteTopicsResponse;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.metadata.image.MetadataImage;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * What a broker needs from the metadata quorum: send controller commands, read the latest
 * image, be told of changes. {@code RaftMetadataNode} implements it in-process (this node is a
 * Ratis voter); a gRPC client to remote controllers can implement the same interface later.
 *
 * <p>Threads: every method may be called from any thread. Futures complete on quorum threads;
 * callers must not block those (use the async methods, or join from their own threads).
 * A command that was decided completes normally, with its errors as codes in the response;
 * one that was not decided completes exceptionally with a {@link ControllerException}.
 */
public interface MetadataQuorum extends AutoCloseable {
  CompletableFuture<ControllerResponse> submit(ControllerCommand command);

  /** The latest image this node has applied (on a follower it may lag the leader's). */
  MetadataImage image();

  /** Adds a listener and calls it at once with the current image (as a delta from empty). */
  void addListener(MetadataListener listener);

  /** The active controller's node id, when known. */
  OptionalInt leaderId();

  /** Stops this node's part of the quorum (snapshotting first); idempotent. */
  @Override
  void close();

  default CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest r) {
    return submit(ControllerCommand.newBuilder().setCreateTopics(r).build())
        .thenApply(ControllerResponse::getCreateTopics);
  }

  default CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest r) {
    return submit(ControllerCommand.newBuilder().setDeleteTopics(r).build())
        .thenApply(ControllerResponse::getDeleteTopics);
  }

  default CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest r) {
    return submit(ControllerCommand.newBuilder().setCreatePartitions(r).build())
        .thenApply(ControllerResponse::getCreatePartitions);
  }

  default CompletableFuture<AlterConfigsResponse> alterConfigs(AlterConfigsRequest r) {
    return submit(ControllerCommand.newBuilder().setAlterConfigs(r).build())
        .thenApply(ControllerResponse::getAlterConfigs);
  }

  default CompletableFuture<AlterConfigsResponse> incrementalAlterConfigs(
      IncrementalAlterConfigsRequest r) {
    return submit(ControllerCommand.newBuilder().setIncrementalAlterConfigs(r).build())
        .thenApply(ControllerResponse::getIncrementalAlterConfigs);
  }

  default CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(
      AllocateProducerIdsRequest r) {
    return submit(ControllerCommand.newBuilder().setAllocateProducerIds(r).build())
        .thenApply(ControllerResponse::getAllocateProducerIds);
  }

  default CompletableFuture<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest r) {
    return submit(ControllerCommand.newBuilder().setRegisterBroker(r).build())
        .thenApply(ControllerResponse::getRegisterBroker);
  }

  default CompletableFuture<BrokerHeartbeatResponse> brokerHeartbeat(BrokerHeartbeatRequest r) {
    return submit(ControllerCommand.newBuilder().setBrokerHeartbeat(r).build())
        .thenApply(ControllerResponse::getBrokerHeartbeat);
  }

  default CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest r) {
    return submit(ControllerCommand.newBuilder().setAlterPartition(r).build())
        .thenApply(ControllerResponse::getAlterPartition);
  }
}
