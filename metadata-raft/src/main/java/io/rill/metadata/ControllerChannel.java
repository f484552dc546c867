package io.rill.metadata;

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
import io.rill.metadata.command.CreatePartitionsRequest;
import io.rill.metadata.command.CreatePartitionsResponse;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.CreateTopicsResponse;
import io.rill.metadata.command.DeleteTopicsRequest;
import io.rill.metadata.command.DeleteTopicsResponse;
import io.rill.metadata.command.DescribeQuorumResponse;
import io.rill.metadata.command.ElectLeadersRequest;
import io.rill.metadata.command.ElectLeadersResponse;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.RegisterBrokerResponse;
import io.rill.metadata.command.UnregisterBrokerRequest;
import io.rill.metadata.command.UnregisterBrokerResponse;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a broker may ask of the controller, and nothing more: the same seam on every node,
 * whether it is also a voter or not. An implementation reaches whichever voter is the active
 * controller (in process when that is this node) and follows leader changes itself; the broker
 * never learns which. Commands that change metadata answer once they are committed and applied
 * by the controller; {@link Answer#metadataOffset} says at which metadata offset their effect is
 * visible (for a command that changed nothing, that of the last change), so a broker can wait
 * for its own image to get there before it answers a client (read-your-writes).
 *
 * <p>Threads: every method may be called from any thread and never blocks. A request that was
 * decided completes normally, with its errors as Kafka codes in the response; one that was not
 * (no controller reachable in time, or the node closing) completes exceptionally with a {@link
 * ControllerException}.
 */
public interface ControllerChannel extends AutoCloseable {
  /** A decided command: its response and the metadata offset at which its effect is visible. */
  record Answer<T>(T response, long metadataOffset) {}

  CompletableFuture<Answer<CreateTopicsResponse>> createTopics(CreateTopicsRequest request);

  CompletableFuture<Answer<DeleteTopicsResponse>> deleteTopics(DeleteTopicsRequest request);

  CompletableFuture<Answer<CreatePartitionsResponse>> createPartitions(
      CreatePartitionsRequest request);

  CompletableFuture<Answer<AlterConfigsResponse>> alterConfigs(AlterConfigsRequest request);

  CompletableFuture<Answer<AlterConfigsResponse>> incrementalAlterConfigs(
      IncrementalAlterConfigsRequest request);

  CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(
      AllocateProducerIdsRequest request);

  CompletableFuture<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest request);

  CompletableFuture<BrokerHeartbeatResponse> brokerHeartbeat(BrokerHeartbeatRequest request);

  CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest request);

  CompletableFuture<DescribeQuorumResponse> describeQuorum();

  CompletableFuture<Answer<ElectLeadersResponse>> electLeaders(ElectLeadersRequest request);

  CompletableFuture<Answer<AlterPartitionReassignmentsResponse>> alterPartitionReassignments(
      AlterPartitionReassignmentsRequest request);

  CompletableFuture<Answer<UnregisterBrokerResponse>> unregisterBroker(
      UnregisterBrokerRequest request);

  /** The active controller's node id as last seen, when known. */
  OptionalInt activeControllerId();

  /** Stops the channel; requests in flight complete exceptionally. Idempotent. */
  @Override
  void close();
}
