package io.rill.broker.api;

import static io.rill.protocol.message.DescribeClusterResponse.BROKERS;

import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeClusterRequest;
import io.rill.protocol.message.DescribeClusterResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;

/**
 * DescribeCluster (v0-1, KIP-700): the cluster id, the controller and the unfenced brokers with
 * their endpoint on the listener the request came in on and their rack — the same view as
 * {@link MetadataHandler}'s, so both name the same controller (the quorum leader when it is a
 * listed broker, else the lowest listed broker; the Admin client sends createTopics and
 * deleteTopics there, and every broker forwards them).
 *
 * <p>A broker answers for brokers only: EndpointType 2 (controllers, KIP-919) is
 * UNSUPPORTED_ENDPOINT_TYPE, as Kafka's brokers answer it.
 */
final class DescribeClusterHandler implements ApiHandler {
  private final BrokerServices services;

  DescribeClusterHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    byte endpointType = request.get(DescribeClusterRequest.ENDPOINT_TYPE);
    if (endpointType != DescribeClusterRequest.ENDPOINT_TYPE_BROKERS) {
      Struct response = errorResponse(ctx, request, Errors.UNSUPPORTED_ENDPOINT_TYPE);
      response.set(DescribeClusterResponse.ERROR_MESSAGE,
          "This node answers for brokers only (EndpointType 1), not " + endpointType + ".");
      ctx.respond(response);
      return;
    }
    MetadataImage image = services.metadata().image();
    Struct response = new Struct(DescribeClusterResponse.SCHEMA)
        .set(DescribeClusterResponse.ERROR_CODE, Errors.NONE.code)
        .set(DescribeClusterResponse.ERROR_MESSAGE, null)
        .set(DescribeClusterResponse.ENDPOINT_TYPE, endpointType)
        .set(DescribeClusterResponse.CLUSTER_ID, services.clusterId());
    List<Integer> listed = addBrokers(response, image, ctx.listenerName());
    response.set(DescribeClusterResponse.CONTROLLER_ID,
        MetadataHandler.controllerIdForClients(services, listed));
    ctx.respond(response);
  }

  private List<Integer> addBrokers(Struct response, MetadataImage image, String listener) {
    List<Integer> listed = new ArrayList<>();
    image.brokers().values().stream().filter(b -> !b.fenced()).forEach(b ->
        b.endpoints().stream().filter(e -> e.listener().equals(listener)).findFirst()
            .ifPresent(e -> {
              response.addElement(BROKERS).set(DescribeClusterResponse.BROKER_ID, b.id())
                  .set(DescribeClusterResponse.BROKER_HOST, e.host())
                  .set(DescribeClusterResponse.BROKER_PORT, e.port())
                  .set(DescribeClusterResponse.BROKER_RACK, b.rack().orElse(null));
              listed.add(b.id());
            }));
    if (!listed.contains(services.nodeId())) {
      // Not registered yet (start-up): this node still answers for itself.
      services.advertisedEndpoints().stream()
          .filter(l -> l.listenerName().equals(listener)).findFirst().ifPresent(l -> {
            response.addElement(BROKERS).set(DescribeClusterResponse.BROKER_ID, services.nodeId())
                .set(DescribeClusterResponse.BROKER_HOST, l.host())
                .set(DescribeClusterResponse.BROKER_PORT, l.port())
                .set(DescribeClusterResponse.BROKER_RACK, null);
            listed.add(services.nodeId());
          });
    }
    return listed;
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return new Struct(DescribeClusterResponse.SCHEMA)
        .set(DescribeClusterResponse.ERROR_CODE, error.code)
        .set(DescribeClusterResponse.ERROR_MESSAGE, null)
        .set(DescribeClusterResponse.ENDPOINT_TYPE,
            request.get(DescribeClusterRequest.ENDPOINT_TYPE))
        .set(DescribeClusterResponse.CLUSTER_ID, services.clusterId());
  }
}
