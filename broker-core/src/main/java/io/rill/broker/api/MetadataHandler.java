package io.rill.broker.api;

import static io.rill.protocol.message.MetadataResponse.BROKERS;
import static io.rill.protocol.message.MetadataResponse.BROKER_HOST;
import static io.rill.protocol.message.MetadataResponse.BROKER_NODE_ID;
import static io.rill.protocol.message.MetadataResponse.BROKER_PORT;
import static io.rill.protocol.message.MetadataResponse.BROKER_RACK;
import static io.rill.protocol.message.MetadataResponse.CLUSTER_ID;
import static io.rill.protocol.message.MetadataResponse.CONTROLLER_ID;
import static io.rill.protocol.message.MetadataResponse.IS_INTERNAL;
import static io.rill.protocol.message.MetadataResponse.PARTITIONS;
import static io.rill.protocol.message.MetadataResponse.TOPICS;
import static io.rill.protocol.message.MetadataResponse.TOPIC_ERROR_CODE;
import static io.rill.protocol.message.MetadataResponse.TOPIC_ID;
import static io.rill.protocol.message.MetadataResponse.TOPIC_NAME;

import io.rill.metadata.controller.TopicNames;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.MetadataRequest;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Uuids;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Metadata: the unfenced brokers (their endpoint on the listener the request came in on), the
 * controller (the quorum leader if it is a listed broker, else the lowest listed broker —
 * clients send admin requests there; every broker forwards them anyway), and topics
 * with ids, partitions, leaders, leader epochs, replicas, ISR and offline replicas (those on
 * brokers that are fenced or gone).
 *
 * <p>An unknown topic is created when both the request (always before v4) and {@code
 * auto.create.topics.enable} allow it; meanwhile it is answered UNKNOWN_TOPIC_OR_PARTITION,
 * which clients retry, as Kafka does in KRaft mode. An illegal name is INVALID_TOPIC_EXCEPTION.
 */
final class MetadataHandler implements ApiHandler {
  /** Kafka's internal topic of committed offsets; marked internal so listTopics hides it. */
  static final String OFFSETS_TOPIC = "__consumer_offsets";

  private final BrokerServices services;

  MetadataHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    MetadataImage image = services.metadata().image();
    Struct response = new Struct(MetadataResponse.SCHEMA);
    List<Integer> listed = addBrokers(response, image, ctx.listenerName());
    response.set(CLUSTER_ID, services.clusterId());
    response.set(CONTROLLER_ID, controllerId(listed));
    List<Struct> requested = request.get(MetadataRequest.TOPICS);
    boolean allTopics = requested == null || (ctx.version() == 0 && requested.isEmpty());
    if (allTopics) {
      image.topics().values().forEach(t -> addTopic(response, image, t));
    } else {
      boolean autoCreate = request.getBool(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION)
          && services.config().getBoolean("auto.create.topics.enable");
      for (Struct t : requested) {
        addRequestedTopic(response, image, t, autoCreate);
      }
    }
    ctx.respond(response);
  }

  private void addRequestedTopic(Struct response, MetadataImage image, Struct t,
      boolean autoCreate) {
    String name = t.get(MetadataRequest.TOPIC_NAME);
    UUID id = t.get(MetadataRequest.TOPIC_ID);
    Optional<TopicImage> topic = name != null ? image.topic(name)
        : id != null && !Uuids.ZERO.equals(id) ? image.topic(id) : Optional.empty();
    if (topic.isPresent()) {
      addTopic(response, image, topic.get());
      return;
    }
    Struct entry = response.addElement(TOPICS).set(TOPIC_NAME, name);
    if (name == null) {
      entry.set(TOPIC_ID, id).set(TOPIC_ERROR_CODE, Errors.UNKNOWN_TOPIC_ID.code);
    } else if (TopicNames.validate(name).isPresent()) {
      entry.set(TOPIC_ERROR_CODE, Errors.INVALID_TOPIC_EXCEPTION.code);
    } else {
      // As Kafka: a topic being auto-created is LEADER_NOT_AVAILABLE ("ask again shortly");
      // UNKNOWN_TOPIC_OR_PARTITION tells a client that it will not appear by itself.
      if (autoCreate) {
        services.autoTopics().create(name);
        entry.set(TOPIC_ERROR_CODE, Errors.LEADER_NOT_AVAILABLE.code);
      } else {
        entry.set(TOPIC_ERROR_CODE, Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
      }
    }
  }

  private List<Integer> addBrokers(Struct response, MetadataImage image, String listener) {
    List<Integer> listed = new ArrayList<>();
    image.brokers().values().stream().filter(b -> !b.fenced()).forEach(b ->
        b.endpoints().stream().filter(e -> e.listener().equals(listener)).findFirst()
            .ifPresent(e -> {
              response.addElement(BROKERS).set(BROKER_NODE_ID, b.id()).set(BROKER_HOST, e.host())
                  .set(BROKER_PORT, e.port()).set(BROKER_RACK, b.rack().orElse(null));
              listed.add(b.id());
            }));
    if (!listed.contains(services.nodeId())) {
      // Not registered yet (start-up): this node still answers for itself.
      services.advertisedEndpoints().stream()
          .filter(l -> l.listenerName().equals(listener)).findFirst().ifPresent(l -> {
            response.addElement(BROKERS).set(BROKER_NODE_ID, services.nodeId())
                .set(BROKER_HOST, l.host()).set(BROKER_PORT, l.port());
            listed.add(services.nodeId());
          });
    }
    return listed;
  }

  private int controllerId(List<Integer> listed) {
    return controllerIdForClients(services, listed);
  }

  /**
   * The "controller" a client is told of: the quorum leader when clients can reach it as a
   * broker, else the lowest listed broker (every broker forwards admin requests, so any will
   * do; the lowest makes every broker name the same one).
   */
  static int controllerIdForClients(BrokerServices services, List<Integer> listed) {
    int leader = services.controller().activeControllerId().orElse(services.nodeId());
    if (listed.contains(leader)) {
      return leader;
    }
    return listed.stream().mapToInt(Integer::intValue).min().orElse(services.nodeId());
  }

  private static void addTopic(Struct response, MetadataImage image, TopicImage topic) {
    Struct entry = response.addElement(TOPICS).set(TOPIC_ERROR_CODE, Errors.NONE.code)
        .set(TOPIC_NAME, topic.name()).set(TOPIC_ID, topic.id())
        .set(IS_INTERNAL, topic.name().equals(OFFSETS_TOPIC));
    for (int i = 0; i < topic.numPartitions(); i++) {
      PartitionRegistration p = topic.partition(i);
      entry.addElement(PARTITIONS)
          .set(MetadataResponse.PARTITION_ERROR_CODE,
              p.hasLeader() ? Errors.NONE.code : Errors.LEADER_NOT_AVAILABLE.code)
          .set(MetadataResponse.PARTITION_INDEX, i)
          .set(MetadataResponse.LEADER_ID, p.leader())
          .set(MetadataResponse.LEADER_EPOCH, p.leaderEpoch())
          .set(MetadataResponse.REPLICA_NODES, new ArrayList<>(p.replicas()))
          .set(MetadataResponse.ISR_NODES, new ArrayList<>(p.isr()))
          .set(MetadataResponse.OFFLINE_REPLICAS, new ArrayList<>(p.replicas().stream()
              .filter(r -> !image.isActiveBroker(r)).toList()));
    }
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(MetadataResponse.SCHEMA);
    List<Struct> requested = request.get(MetadataRequest.TOPICS);
    if (requested != null) {
      for (Struct t : requested) {
        response.addElement(TOPICS).set(TOPIC_NAME, t.get(MetadataRequest.TOPIC_NAME))
            .set(TOPIC_ID, t.get(MetadataRequest.TOPIC_ID)).set(TOPIC_ERROR_CODE, error.code);
      }
    }
    return response;
  }
}
