package io.rill.broker.api;

import io.rill.metadata.command.PartitionReassignment;
import io.rill.metadata.command.PartitionResult;
import io.rill.protocol.Errors;
import io.rill.protocol.message.AlterPartitionReassignmentsRequest;
import io.rill.protocol.message.AlterPartitionReassignmentsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AlterPartitionReassignments (v0-1), as {@code kafka-reassign-partitions --execute/--cancel}
 * and {@code Admin.alterPartitionReassignments} use it: starts, replaces or cancels (null
 * replicas) reassignments through the quorum (ReassignmentControl). The answer comes once the
 * reassignment has started (or completed, when nothing had to be copied), not when data has
 * moved; ListPartitionReassignments follows the progress.
 */
final class AlterPartitionReassignmentsHandler implements ApiHandler {
  private final BrokerServices services;

  AlterPartitionReassignmentsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    boolean allowRfChange =
        request.get(AlterPartitionReassignmentsRequest.ALLOW_REPLICATION_FACTOR_CHANGE);
    io.rill.metadata.command.AlterPartitionReassignmentsRequest.Builder command =
        io.rill.metadata.command.AlterPartitionReassignmentsRequest.newBuilder()
            .setAllowReplicationFactorChange(allowRfChange);
    for (Struct t : request.get(AlterPartitionReassignmentsRequest.TOPICS)) {
      for (Struct p : t.get(AlterPartitionReassignmentsRequest.PARTITIONS)) {
        List<Integer> replicas = p.get(AlterPartitionReassignmentsRequest.REPLICAS);
        PartitionReassignment.Builder r = PartitionReassignment.newBuilder()
            .setTopic(t.get(AlterPartitionReassignmentsRequest.NAME))
            .setPartition(p.getInt(AlterPartitionReassignmentsRequest.PARTITION_INDEX))
            .setCancel(replicas == null);
        if (replicas != null) {
          r.addAllReplicas(replicas);
        }
        command.addPartitions(r);
      }
    }
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(),
            services.controller().alterPartitionReassignments(command.build())),
        QuorumReplies.boundedTimeoutMs(
            request.getInt(AlterPartitionReassignmentsRequest.TIMEOUT_MS)),
        decided -> response(allowRfChange, Errors.NONE, null, decided.getResultsList()),
        failure -> response(allowRfChange, failure.error(), failure.message(), List.of()));
  }

  private static Struct response(boolean allowRfChange, Errors error, String message,
      List<PartitionResult> results) {
    Map<String, List<Struct>> byTopic = new LinkedHashMap<>();
    for (PartitionResult r : results) {
      byTopic.computeIfAbsent(r.getTopic(), t -> new ArrayList<>()).add(
          new Struct(AlterPartitionReassignmentsResponse.PARTITION)
              .set(AlterPartitionReassignmentsResponse.PARTITION_INDEX, r.getPartition())
              .set(AlterPartitionReassignmentsResponse.PARTITION_ERROR_CODE,
                  (short) r.getErrorCode())
              .set(AlterPartitionReassignmentsResponse.PARTITION_ERROR_MESSAGE,
                  r.getErrorMessage().isEmpty() ? null : r.getErrorMessage()));
    }
    Struct response = new Struct(AlterPartitionReassignmentsResponse.SCHEMA)
        .set(AlterPartitionReassignmentsResponse.ALLOW_REPLICATION_FACTOR_CHANGE, allowRfChange)
        .set(AlterPartitionReassignmentsResponse.ERROR_CODE, error.code)
        .set(AlterPartitionReassignmentsResponse.ERROR_MESSAGE, message);
    byTopic.forEach((topic, partitions) -> {
      Struct t = new Struct(AlterPartitionReassignmentsResponse.TOPIC)
          .set(AlterPartitionReassignmentsResponse.NAME, topic);
      t.get(AlterPartitionReassignmentsResponse.PARTITIONS).addAll(partitions);
      response.get(AlterPartitionReassignmentsResponse.RESPONSES).add(t);
    });
    return response;
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return response(true, error, null, List.of());
  }
}
