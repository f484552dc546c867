package io.rill.broker.api;

import io.rill.broker.api.ConfigAlterations.Resource;
import io.rill.broker.api.ConfigAlterations.ResponseLayout;
import io.rill.metadata.command.AlterableConfig;
import io.rill.metadata.command.IncrementalAlterConfigsResource;
import io.rill.protocol.Errors;
import io.rill.protocol.message.IncrementalAlterConfigsRequest;
import io.rill.protocol.message.IncrementalAlterConfigsResponse;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * IncrementalAlterConfigs (v0-1, KIP-339): SET, DELETE, APPEND and SUBTRACT single topic or
 * dynamic broker configs, leaving the others alone, through the metadata quorum (APPEND and
 * SUBTRACT only for list-typed configs; the quorum refuses the rest, with INVALID_CONFIG for a
 * topic and INVALID_REQUEST for a broker, as Kafka does). See {@link ConfigAlterations} for
 * what else is answered and how.
 */
final class IncrementalAlterConfigsHandler implements ApiHandler {
  static final ResponseLayout LAYOUT = new ResponseLayout(IncrementalAlterConfigsResponse.SCHEMA,
      IncrementalAlterConfigsResponse.RESPONSES, IncrementalAlterConfigsResponse.RESOURCE_RESULT,
      IncrementalAlterConfigsResponse.ERROR_CODE, IncrementalAlterConfigsResponse.ERROR_MESSAGE,
      IncrementalAlterConfigsResponse.RESOURCE_TYPE, IncrementalAlterConfigsResponse.RESOURCE_NAME);

  private final BrokerServices services;

  IncrementalAlterConfigsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    List<Struct> resources = request.get(IncrementalAlterConfigsRequest.RESOURCES);
    ConfigAlterations.alter(ctx, resources(request), LAYOUT, quorumIndexes -> {
      io.rill.metadata.command.IncrementalAlterConfigsRequest.Builder command =
          io.rill.metadata.command.IncrementalAlterConfigsRequest.newBuilder()
              .setValidateOnly(request.getBool(IncrementalAlterConfigsRequest.VALIDATE_ONLY));
      for (int i : quorumIndexes) {
        command.addResources(toCommand(resources.get(i)));
      }
      return QuorumReplies.applied(services.metadata(),
          services.controller().incrementalAlterConfigs(command.build()));
    });
  }

  private static IncrementalAlterConfigsResource toCommand(Struct resource) {
    IncrementalAlterConfigsResource.Builder b = IncrementalAlterConfigsResource.newBuilder()
        .setType(ConfigAlterations.quorumType(
            resource.get(IncrementalAlterConfigsRequest.RESOURCE_TYPE)))
        .setName(resource.get(IncrementalAlterConfigsRequest.RESOURCE_NAME));
    for (Struct c : resource.get(IncrementalAlterConfigsRequest.CONFIGS)) {
      // Kafka's op codes are the proto enum's numbers; an unknown one becomes UNRECOGNIZED,
      // which the quorum refuses with INVALID_REQUEST.
      AlterableConfig.Builder a = AlterableConfig.newBuilder()
          .setName(c.get(IncrementalAlterConfigsRequest.CONFIG_NAME))
          .setOpValue(c.get(IncrementalAlterConfigsRequest.CONFIG_OPERATION));
      String value = c.get(IncrementalAlterConfigsRequest.CONFIG_VALUE);
      if (value != null) {
        a.setValue(value);
      }
      b.addConfigs(a);
    }
    return b.build();
  }

  private static List<Resource> resources(Struct request) {
    return request.get(IncrementalAlterConfigsRequest.RESOURCES).stream()
        .map(r -> new Resource(r.get(IncrementalAlterConfigsRequest.RESOURCE_TYPE),
            r.get(IncrementalAlterConfigsRequest.RESOURCE_NAME)))
        .toList();
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return ConfigAlterations.errorResponse(resources(request), LAYOUT, error);
  }
}
