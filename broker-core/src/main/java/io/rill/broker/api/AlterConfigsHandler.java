package io.rill.broker.api;

import io.rill.broker.api.ConfigAlterations.Resource;
import io.rill.broker.api.ConfigAlterations.ResponseLayout;
import io.rill.metadata.command.AlterConfigsResource;
import io.rill.metadata.command.ConfigEntry;
import io.rill.protocol.Errors;
import io.rill.protocol.message.AlterConfigsRequest;
import io.rill.protocol.message.AlterConfigsResponse;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * AlterConfigs (v0-2, deprecated by KIP-339 but still sent by older tools): the given configs
 * replace all dynamic configs of each topic or broker resource, through the metadata quorum; see
 * {@link ConfigAlterations} for what else is answered and how.
 */
final class AlterConfigsHandler implements ApiHandler {
  static final ResponseLayout LAYOUT = new ResponseLayout(AlterConfigsResponse.SCHEMA,
      AlterConfigsResponse.RESPONSES, AlterConfigsResponse.RESOURCE_RESULT,
      AlterConfigsResponse.ERROR_CODE, AlterConfigsResponse.ERROR_MESSAGE,
      AlterConfigsResponse.RESOURCE_TYPE, AlterConfigsResponse.RESOURCE_NAME);

  private final BrokerServices services;

  AlterConfigsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    List<Struct> resources = request.get(AlterConfigsRequest.RESOURCES);
    ConfigAlterations.alter(ctx, resources(request), LAYOUT, quorumIndexes -> {
      io.rill.metadata.command.AlterConfigsRequest.Builder command =
          io.rill.metadata.command.AlterConfigsRequest.newBuilder()
              .setValidateOnly(request.getBool(AlterConfigsRequest.VALIDATE_ONLY));
      for (int i : quorumIndexes) {
        command.addResources(toCommand(resources.get(i)));
      }
      return QuorumReplies.applied(services.metadata(),
          services.controller().alterConfigs(command.build()));
    });
  }

  private static AlterConfigsResource toCommand(Struct resource) {
    AlterConfigsResource.Builder b = AlterConfigsResource.newBuilder()
        .setType(ConfigAlterations.quorumType(resource.get(AlterConfigsRequest.RESOURCE_TYPE)))
        .setName(resource.get(AlterConfigsRequest.RESOURCE_NAME));
    for (Struct c : resource.get(AlterConfigsRequest.CONFIGS)) {
      ConfigEntry.Builder e =
          ConfigEntry.newBuilder().setName(c.get(AlterConfigsRequest.CONFIG_NAME));
      String value = c.get(AlterConfigsRequest.CONFIG_VALUE);
      if (value != null) {
        e.setValue(value);
      }
      b.addConfigs(e);
    }
    return b.build();
  }

  private static List<Resource> resources(Struct request) {
    return request.get(AlterConfigsRequest.RESOURCES).stream()
        .map(r -> new Resource(r.get(AlterConfigsRequest.RESOURCE_TYPE),
            r.get(AlterConfigsRequest.RESOURCE_NAME)))
        .toList();
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return ConfigAlterations.errorResponse(resources(request), LAYOUT, error);
  }
}
