package io.rill.broker.api;

import static io.rill.protocol.message.DescribeConfigsResponse.RESULTS;

import io.rill.metadata.controller.TopicNames;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeConfigsRequest;
import io.rill.protocol.message.DescribeConfigsResponse;
import io.rill.protocol.schema.Struct;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * DescribeConfigs (v1-4), answered from this node's metadata image and config without the
 * quorum. Each resource is answered on its own:
 *
 * <ul>
 *   <li>TOPIC: every topic config (or those in ConfigurationKeys), with value and source (see
 *       {@link ConfigDescriptions}); UNKNOWN_TOPIC_OR_PARTITION for a topic that does not
 *       exist, INVALID_TOPIC_EXCEPTION for an illegal name.
 *   <li>BROKER named by this node's id: every broker config with its effective value and
 *       source, writable only for the dynamic keys. BROKER "" (the cluster-wide dynamic
 *       default): the dynamic defaults set, as in Kafka. Another broker's id: INVALID_REQUEST,
 *       as in Kafka (each broker describes itself; a client asks that broker).
 *   <li>Any other type (broker logger, client metrics, group): INVALID_REQUEST.
 * </ul>
 *
 * <p>Synonyms (v1+) and documentation and type (v3+) are filled only when requested.
 */
final class DescribeConfigsHandler implements ApiHandler {
  static final byte RESOURCE_TOPIC = 2;
  static final byte RESOURCE_BROKER = 4;

  private final BrokerServices services;

  DescribeConfigsHandler(BrokerServices services) {
    this.services = services;
  }

  /** What the client asked to see of each config. */
  private record Detail(boolean synonyms, boolean documentation) {}

  @Override
  public void handle(RequestContext ctx, Struct request) {
    MetadataImage image = services.metadata().image();
    ConfigDescriptions configs = new ConfigDescriptions(services.topicConfigs().broker());
    Detail detail = new Detail(request.getBool(DescribeConfigsRequest.INCLUDE_SYNONYMS),
        request.getBool(DescribeConfigsRequest.INCLUDE_DOCUMENTATION));
    Struct response = new Struct(DescribeConfigsResponse.SCHEMA);
    for (Struct resource : request.get(DescribeConfigsRequest.RESOURCES)) {
      describe(response.addElement(RESULTS), resource, image, configs, detail);
    }
    ctx.respond(response);
  }

  private void describe(Struct result, Struct resource, MetadataImage image,
      ConfigDescriptions configs, Detail detail) {
    byte type = resource.get(DescribeConfigsRequest.RESOURCE_TYPE);
    String name = resource.get(DescribeConfigsRequest.RESOURCE_NAME);
    List<String> keys = resource.get(DescribeConfigsRequest.CONFIGURATION_KEYS);
    result.set(DescribeConfigsResponse.RESOURCE_TYPE, type)
        .set(DescribeConfigsResponse.RESOURCE_NAME, name)
        .set(DescribeConfigsResponse.ERROR_MESSAGE, null);
    Optional<ApiError> refusal = refusal(type, name, image);
    if (refusal.isPresent()) {
      result.set(DescribeConfigsResponse.ERROR_CODE, refusal.get().error().code)
          .set(DescribeConfigsResponse.ERROR_MESSAGE, refusal.get().message());
      return;
    }
    List<ConfigDescriptions.Description> described;
    if (type == RESOURCE_TOPIC) {
      described = configs.topic(image.configs(ConfigResource.topic(name)));
    } else {
      described = name.isEmpty() ? configs.clusterDefaults() : configs.broker();
    }
    Set<String> wanted = keys == null ? null : new HashSet<>(keys);
    for (ConfigDescriptions.Description d : described) {
      if (wanted == null || wanted.contains(d.name())) {
        addConfig(result, d, detail);
      }
    }
  }

  /** Why a resource cannot be described, or empty when it can. */
  private Optional<ApiError> refusal(byte type, String name, MetadataImage image) {
    if (type == RESOURCE_TOPIC) {
      Optional<String> badName = TopicNames.validate(name);
      if (badName.isPresent()) {
        return Optional.of(new ApiError(Errors.INVALID_TOPIC_EXCEPTION, badName.get()));
      }
      return image.topic(name).isPresent() ? Optional.empty()
          : Optional.of(new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
              "Topic '" + name + "' does not exist."));
    }
    if (type == RESOURCE_BROKER) {
      if (name.isEmpty() || name.equals(Integer.toString(services.nodeId()))) {
        return Optional.empty();
      }
      return Optional.of(new ApiError(Errors.INVALID_REQUEST, "Unexpected broker id, expected "
          + services.nodeId() + " or empty string, but received " + name));
    }
    return Optional.of(new ApiError(Errors.INVALID_REQUEST, "Unsupported resource type " + type
        + "; this broker describes topics and brokers."));
  }

  private static void addConfig(Struct result, ConfigDescriptions.Description d, Detail detail) {
    Struct c = result.addElement(DescribeConfigsResponse.CONFIGS)
        .set(DescribeConfigsResponse.CONFIG_NAME, d.name())
        .set(DescribeConfigsResponse.CONFIG_VALUE, d.sensitive() ? null : d.value())
        .set(DescribeConfigsResponse.CONFIG_READ_ONLY, d.readOnly())
        .set(DescribeConfigsResponse.CONFIG_SOURCE, d.source().code)
        .set(DescribeConfigsResponse.CONFIG_IS_SENSITIVE, d.sensitive())
        .set(DescribeConfigsResponse.CONFIG_TYPE, d.type().code)
        .set(DescribeConfigsResponse.CONFIG_DOCUMENTATION,
            detail.documentation() ? d.documentation() : null);
    if (detail.synonyms()) {
      for (ConfigDescriptions.Synonym s : d.synonyms()) {
        c.addElement(DescribeConfigsResponse.CONFIG_SYNONYMS)
            .set(DescribeConfigsResponse.SYNONYM_NAME, s.name())
            .set(DescribeConfigsResponse.SYNONYM_VALUE, d.sensitive() ? null : s.value())
            .set(DescribeConfigsResponse.SYNONYM_SOURCE, s.source().code);
      }
    }
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(DescribeConfigsResponse.SCHEMA);
    for (Struct resource : request.get(DescribeConfigsRequest.RESOURCES)) {
      response.addElement(RESULTS).set(DescribeConfigsResponse.ERROR_CODE, error.code)
          .set(DescribeConfigsResponse.ERROR_MESSAGE, null)
          .set(DescribeConfigsResponse.RESOURCE_TYPE,
              resource.get(DescribeConfigsRequest.RESOURCE_TYPE))
          .set(DescribeConfigsResponse.RESOURCE_NAME,
              resource.get(DescribeConfigsRequest.RESOURCE_NAME));
    }
    return response;
  }
}
