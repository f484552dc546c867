package io.rill.broker.api;

import static io.rill.protocol.message.ElectLeadersResponse.REPLICA_ELECTION_RESULTS;

import io.rill.metadata.command.ElectionType;
import io.rill.metadata.command.PartitionRef;
import io.rill.metadata.command.PartitionResult;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ElectLeadersRequest;
import io.rill.protocol.message.ElectLeadersResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ElectLeaders (v0-2), as {@code kafka-leader-election} and {@code Admin.electLeaders} use it:
 * the election is a quorum command (ElectionControl); v0 can only ask for preferred leaders. The
 * answer groups the per-partition results by topic, in the order they were decided.
 */
final class ElectLeadersHandler implements ApiHandler {
  private final BrokerServices services;

  ElectLeadersHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    byte type = request.get(ElectLeadersRequest.ELECTION_TYPE);
    if (type != ElectLeadersRequest.PREFERRED && type != ElectLeadersRequest.UNCLEAN) {
      ctx.respond(errorResponse(ctx, request, Errors.INVALID_REQUEST));
      return;
    }
    List<Struct> asked = request.get(ElectLeadersRequest.TOPIC_PARTITIONS_FIELD);
    io.rill.metadata.command.ElectLeadersRequest.Builder command =
        io.rill.metadata.command.ElectLeadersRequest.newBuilder()
            .setElectionType(type == ElectLeadersRequest.UNCLEAN ? ElectionType.UNCLEAN
                : ElectionType.PREFERRED)
            .setAllPartitions(asked == null);
    if (asked != null) {
      for (Struct t : asked) {
        for (int p : t.get(ElectLeadersRequest.PARTITIONS)) {
          command.addPartitions(PartitionRef.newBuilder()
              .setTopic(t.get(ElectLeadersRequest.TOPIC)).setPartition(p));
        }
      }
    }
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(),
            services.controller().electLeaders(command.build())),
        QuorumReplies.boundedTimeoutMs(request.getInt(ElectLeadersRequest.TIMEOUT_MS)),
        decided -> response(decided.getResultsList(), Errors.NONE),
        failure -> errorResponse(ctx, request, failure.error()));
  }

  /** Results grouped by topic, as Kafka's ReplicaElectionResults. */
  static Struct response(List<PartitionResult> results, Errors topLevel) {
    Map<String, List<Struct>> byTopic = new LinkedHashMap<>();
    for (PartitionResult r : results) {
      Errors error = Errors.forCode((short) r.getErrorCode());
      byTopic.computeIfAbsent(r.getTopic(), t -> new ArrayList<>()).add(
          new Struct(ElectLeadersResponse.PARTITION_RESULT)
              .set(ElectLeadersResponse.PARTITION_ID, r.getPartition())
              .set(ElectLeadersResponse.PARTITION_ERROR_CODE, error.code)
              .set(ElectLeadersResponse.ERROR_MESSAGE,
                  r.getErrorMessage().isEmpty() ? null : r.getErrorMessage()));
    }
    Struct response = new Struct(ElectLeadersResponse.SCHEMA)
        .set(ElectLeadersResponse.ERROR_CODE, topLevel.code);
    byTopic.forEach((topic, partitions) -> {
      Struct t = new Struct(ElectLeadersResponse.REPLICA_ELECTION_RESULT)
          .set(ElectLeadersResponse.TOPIC, topic);
      t.get(ElectLeadersResponse.PARTITION_RESULTS).addAll(partitions);
      response.get(REPLICA_ELECTION_RESULTS).add(t);
    });
    return response;
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    List<PartitionResult> results = new ArrayList<>();
    List<Struct> asked = request.get(ElectLeadersRequest.TOPIC_PARTITIONS_FIELD);
    if (asked != null) {
      for (Struct t : asked) {
        for (int p : t.get(ElectLeadersRequest.PARTITIONS)) {
          results.add(PartitionResult.newBuilder().setTopic(t.get(ElectLeadersRequest.TOPIC))
              .setPartition(p).setErrorCode(error.code).build());
        }
      }
    }
    return response(results, error);
  }
}
