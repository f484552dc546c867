package io.rill.broker.api;

import static io.rill.protocol.message.DeleteTopicsResponse.RESPONSES;

import io.rill.metadata.command.DeletableTopicResult;
import io.rill.metadata.command.TopicRef;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DeleteTopicsRequest;
import io.rill.protocol.message.DeleteTopicsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * DeleteTopics (v1-6): by name, or from v6 by name or id (KIP-516), through the metadata
 * quorum; the node's metadata publisher then removes the logs.
 *
 * <p>As Kafka's ControllerApis: with {@code delete.topic.enable=false} every topic is refused
 * (TOPIC_DELETION_DISABLED, or INVALID_REQUEST before v3 which lacks that code); a topic given
 * both by name and id, or by neither, is INVALID_REQUEST; a name or id given twice is
 * INVALID_REQUEST, answered once. Unknown names are UNKNOWN_TOPIC_OR_PARTITION and unknown ids
 * UNKNOWN_TOPIC_ID, as the quorum decides.
 */
final class DeleteTopicsHandler implements ApiHandler {
  private final BrokerServices services;

  DeleteTopicsHandler(BrokerServices services) {
    this.services = services;
  }

  /** A topic as the request names it: exactly one of name and id. */
  private record Ref(String name, UUID id) {}

  /** A request's topics split into those to delete and those already answered. */
  private record Parsed(List<Ref> toDelete, List<Struct> answered) {}

  @Override
  public void handle(RequestContext ctx, Struct request) {
    if (!services.config().getBoolean("delete.topic.enable")) {
      Errors error = ctx.version() < 3 ? Errors.INVALID_REQUEST : Errors.TOPIC_DELETION_DISABLED;
      Struct response = errorResponse(ctx, request, error);
      response.get(RESPONSES).forEach(r ->
          r.set(DeleteTopicsResponse.ERROR_MESSAGE, "Topic deletion is disabled."));
      ctx.respond(response);
      return;
    }
    Parsed parsed = parse(request);
    if (parsed.toDelete().isEmpty()) {
      ctx.respond(response(parsed.answered()));
      return;
    }
    io.rill.metadata.command.DeleteTopicsRequest.Builder command =
        io.rill.metadata.command.DeleteTopicsRequest.newBuilder();
    for (Ref ref : parsed.toDelete()) {
      command.addTopics(ref.name() != null ? TopicRef.newBuilder().setName(ref.name()).build()
          : TopicRef.newBuilder().setId(Uuids.toProto(ref.id())).build());
    }
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(), services.controller().deleteTopics(command.build())),
        QuorumReplies.boundedTimeoutMs(request.getInt(DeleteTopicsRequest.TIMEOUT_MS)),
        decided -> {
          Struct response = response(parsed.answered());
          decided.getTopicsList().forEach(r -> addResult(response, r));
          return response;
        },
        failure -> {
          Struct response = response(parsed.answered());
          parsed.toDelete().forEach(ref -> addFailure(response, ref, failure));
          return response;
        });
  }

  private static Parsed parse(Struct request) {
    List<Struct> answered = new ArrayList<>();
    // Insertion-ordered counts, so that the answers follow the request's order.
    Map<String, Integer> names = new LinkedHashMap<>();
    Map<UUID, Integer> ids = new LinkedHashMap<>();
    List<String> topicNames = request.get(DeleteTopicsRequest.TOPIC_NAMES);
    if (topicNames != null) {
      topicNames.forEach(n -> names.merge(n, 1, Integer::sum));
    }
    for (Struct t : request.get(DeleteTopicsRequest.TOPICS)) {
      String name = t.get(DeleteTopicsRequest.NAME);
      UUID id = t.get(DeleteTopicsRequest.TOPIC_ID);
      boolean hasId = id != null && !Uuids.ZERO.equals(id);
      if (name == null && !hasId) {
        answered.add(result(null, Uuids.ZERO, Errors.INVALID_REQUEST,
            "Neither topic name nor id were specified."));
      } else if (name != null && hasId) {
        answered.add(result(name, id, Errors.INVALID_REQUEST,
            "You may not specify both topic name and topic id."));
      } else if (name != null) {
        names.merge(name, 1, Integer::sum);
      } else {
        ids.merge(id, 1, Integer::sum);
      }
    }
    List<Ref> toDelete = new ArrayList<>();
    Set<String> duplicateNames = new LinkedHashSet<>();
    names.forEach((n, count) -> {
      if (count > 1) {
        duplicateNames.add(n);
      } else {
        toDelete.add(new Ref(n, null));
      }
    });
    duplicateNames.forEach(n -> answered.add(result(n, Uuids.ZERO, Errors.INVALID_REQUEST,
        "Duplicate topic name.")));
    ids.forEach((id, count) -> {
      if (count > 1) {
        answered.add(result(null, id, Errors.INVALID_REQUEST, "Duplicate topic id."));
      } else {
        toDelete.add(new Ref(null, id));
      }
    });
    return new Parsed(toDelete, answered);
  }

  private static Struct result(String name, UUID id, Errors error, String message) {
    return new Struct(DeleteTopicsResponse.TOPIC_RESULT).set(DeleteTopicsResponse.NAME, name)
        .set(DeleteTopicsResponse.TOPIC_ID, id).set(DeleteTopicsResponse.ERROR_CODE, error.code)
        .set(DeleteTopicsResponse.ERROR_MESSAGE, message);
  }

  private static Struct response(List<Struct> answered) {
    Struct response = new Struct(DeleteTopicsResponse.SCHEMA);
    response.get(RESPONSES).addAll(answered);
    return response;
  }

  private static void addResult(Struct response, DeletableTopicResult r) {
    Errors error = Errors.forCode(r.getErrorCode());
    response.get(RESPONSES).add(result(r.getName().isEmpty() ? null : r.getName(),
        r.hasTopicId() ? Uuids.fromProto(r.getTopicId()) : Uuids.ZERO, error,
        error == Errors.NONE ? null : r.getErrorMessage()));
  }

  private static void addFailure(Struct response, Ref ref, ApiError failure) {
    response.get(RESPONSES).add(result(ref.name(), ref.id() != null ? ref.id() : Uuids.ZERO,
        failure.error(), failure.message()));
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(DeleteTopicsResponse.SCHEMA);
    List<String> names = request.get(DeleteTopicsRequest.TOPIC_NAMES);
    if (names != null) {
      new LinkedHashSet<>(names).forEach(n ->
          response.get(RESPONSES).add(result(n, Uuids.ZERO, error, null)));
    }
    for (Struct t : request.get(DeleteTopicsRequest.TOPICS)) {
      UUID id = t.get(DeleteTopicsRequest.TOPIC_ID);
      response.get(RESPONSES).add(result(t.get(DeleteTopicsRequest.NAME),
          id != null ? id : Uuids.ZERO, error, null));
    }
    return response;
  }
}
