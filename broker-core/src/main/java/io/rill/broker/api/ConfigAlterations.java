package io.rill.broker.api;

import io.rill.metadata.command.AlterConfigsResourceResult;
import io.rill.metadata.command.AlterConfigsResponse;
import io.rill.metadata.controller.TopicNames;
import io.rill.metadata.record.ResourceType;
import io.rill.protocol.Errors;
import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The flow AlterConfigs and IncrementalAlterConfigs share: topic and broker resources go to the
 * metadata quorum as one command (it validates names and values against the topic config table
 * and the table of dynamic broker configs, and writes the changes, which each broker's metadata
 * publisher applies to its logs at once); other resources are answered here, one result per
 * resource in request order.
 *
 * <p>A BROKER resource is the cluster-wide default ("") or one broker's id, which need not be
 * this broker nor a registered one (as in Kafka): every broker reads the quorum's values.
 * Topics with an illegal name and other resource types are refused here.
 */
final class ConfigAlterations {
  private ConfigAlterations() {}

  /** The fields of one of the two responses, which have the same shape. */
  record ResponseLayout(Schema schema, Field<List<Struct>> responses, Schema resultSchema,
      Field<Short> errorCode, Field<String> errorMessage, Field<Byte> resourceType,
      Field<String> resourceName) {

    Struct result(byte type, String name, Errors error, String message) {
      return new Struct(resultSchema).set(resourceType, type).set(resourceName, name)
          .set(errorCode, error.code)
          .set(errorMessage, error == Errors.NONE ? null : message);
    }
  }

  /** A requested resource: its type and name. */
  record Resource(byte type, String name) {}

  /**
   * Answers {@code resources}: topics and brokers through {@code submit} (given the indexes of
   * those resources, it sends them as one quorum command), the others at once.
   */
  static void alter(RequestContext ctx, List<Resource> resources, ResponseLayout layout,
      Function<List<Integer>, CompletableFuture<AlterConfigsResponse>> submit) {
    List<Struct> results = new ArrayList<>();
    List<Integer> quorumIndexes = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      Resource r = resources.get(i);
      Optional<ApiError> refusal = refusal(r);
      results.add(refusal.map(f -> layout.result(r.type(), r.name(), f.error(), f.message()))
          .orElse(null));
      if (refusal.isEmpty()) {
        quorumIndexes.add(i);
      }
    }
    if (quorumIndexes.isEmpty()) {
      ctx.respond(response(layout, results));
      return;
    }
    QuorumReplies.respondWhenDone(ctx, submit.apply(quorumIndexes), QuorumReplies.ADMIN_TIMEOUT_MS,
        decided -> {
          List<Struct> all = new ArrayList<>(results);
          for (int k = 0; k < quorumIndexes.size(); k++) {
            AlterConfigsResourceResult r = decided.getResources(k);
            Resource asked = resources.get(quorumIndexes.get(k));
            all.set(quorumIndexes.get(k), layout.result(asked.type(), asked.name(),
                Errors.forCode(r.getErrorCode()), r.getErrorMessage()));
          }
          return response(layout, all);
        },
        failure -> {
          List<Struct> all = new ArrayList<>(results);
          for (int i : quorumIndexes) {
            Resource asked = resources.get(i);
            all.set(i, layout.result(asked.type(), asked.name(), failure.error(),
                failure.message()));
          }
          return response(layout, all);
        });
  }

  /** Why a resource is answered here without the quorum, or empty for one to alter there. */
  private static Optional<ApiError> refusal(Resource r) {
    if (r.type() == DescribeConfigsHandler.RESOURCE_TOPIC) {
      return TopicNames.validate(r.name())
          .map(why -> new ApiError(Errors.INVALID_TOPIC_EXCEPTION, why));
    }
    if (r.type() == DescribeConfigsHandler.RESOURCE_BROKER) {
      return Optional.empty();
    }
    return Optional.of(new ApiError(Errors.INVALID_REQUEST, "Unsupported resource type "
        + r.type() + "; only topic and broker configs can be altered."));
  }

  /** The quorum's resource type for a requested resource that reached the quorum. */
  static ResourceType quorumType(byte type) {
    return type == DescribeConfigsHandler.RESOURCE_BROKER ? ResourceType.BROKER
        : ResourceType.TOPIC;
  }

  private static Struct response(ResponseLayout layout, List<Struct> results) {
    Struct response = new Struct(layout.schema());
    response.get(layout.responses()).addAll(results);
    return response;
  }

  /** One error for every resource (a request that could not be handled at all). */
  static Struct errorResponse(List<Resource> resources, ResponseLayout layout, Errors error) {
    List<Struct> results = new ArrayList<>();
    resources.forEach(r -> results.add(layout.result(r.type(), r.name(), error, null)));
    return response(layout, results);
  }
}
