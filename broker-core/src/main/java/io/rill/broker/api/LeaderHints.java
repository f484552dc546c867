package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Struct;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The new-leader hints of one response (KIP-951): a client told NOT_LEADER_OR_FOLLOWER or
 * FENCED_LEADER_EPOCH for a partition also learns, from the same answer, who leads it now and at
 * which epoch, and where to reach that broker, so it need not wait for a Metadata round trip
 * before it retries. Produce carries them from v10, Fetch from v16; older versions never do.
 *
 * <p>The leader and epoch are this broker's metadata image (the one its replicas follow); the
 * endpoints are those of the listener the request came in on, and only of unfenced brokers (a
 * fenced one is no place to retry), as Kafka's {@code getAliveBrokerNode}. A partition the image
 * does not know gets no hint.
 *
 * <p>One instance per response, used on one thread: {@link #annotate} each partition, then
 * {@link #addEndpoints} once.
 */
final class LeaderHints {
  /**
   * Where a response carries hints: the first version that fills them, and the fields (the same
   * in Produce and Fetch, but each schema has its own constants).
   */
  record Fields(int since, Field<Struct> currentLeader, Field<Integer> leaderId,
      Field<Integer> leaderEpoch, Field<List<Struct>> nodeEndpoints, Field<Integer> nodeId,
      Field<String> host, Field<Integer> port, Field<String> rack) {}

  static final Fields PRODUCE = new Fields(10, ProduceResponse.CURRENT_LEADER,
      ProduceResponse.LEADER_ID, ProduceResponse.LEADER_EPOCH, ProduceResponse.NODE_ENDPOINTS,
      ProduceResponse.NODE_ID, ProduceResponse.NODE_HOST, ProduceResponse.NODE_PORT,
      ProduceResponse.NODE_RACK);
  /** CurrentLeader is in Fetch from v12 (KIP-595), but Kafka fills it only from v16. */
  static final Fields FETCH = new Fields(16, FetchResponse.CURRENT_LEADER,
      FetchResponse.LEADER_ID, FetchResponse.LEADER_EPOCH, FetchResponse.NODE_ENDPOINTS,
      FetchResponse.NODE_ID, FetchResponse.NODE_HOST, FetchResponse.NODE_PORT,
      FetchResponse.NODE_RACK);

  /** Where a client reaches a leader: a NodeEndpoints entry. */
  record Node(int id, String host, int port, String rack) {}

  /** A CurrentLeader value: the leader's id (-1 when none) and the partition's leader epoch. */
  record Leader(int id, int epoch) {}

  private final Fields fields;
  private final MetadataImage image;
  private final String listener;
  /** The endpoints of the leaders named so far, by id: the response's NodeEndpoints. */
  private final Map<Integer, Node> endpoints = new TreeMap<>();

  LeaderHints(Fields fields, MetadataImage image, String listener) {
    this.fields = fields;
    this.image = image;
    this.listener = listener;
  }

  /** The hints of one response; none when the request's version predates them. */
  static Optional<LeaderHints> forRequest(Fields fields, BrokerServices services,
      RequestContext ctx) {
    return ctx.version() < fields.since() ? Optional.empty() : Optional.of(
        new LeaderHints(fields, services.metadata().image(), ctx.listenerName()));
  }

  /** The errors after which a client looks for the new leader (KIP-951). */
  private static boolean wanted(Errors error) {
    return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH;
  }

  /** Sets {@code partition}'s CurrentLeader when {@code error} sends the client elsewhere. */
  void annotate(Struct partition, TopicPartition tp, Errors error) {
    if (wanted(error)) {
      leaderOf(tp).ifPresent(leader -> partition.get(fields.currentLeader())
          .set(fields.leaderId(), leader.id())
          .set(fields.leaderEpoch(), leader.epoch()));
    }
  }

  /** Adds the NodeEndpoints of every leader named, by ascending id. */
  void addEndpoints(Struct response) {
    for (Node node : endpoints.values()) {
      response.addElement(fields.nodeEndpoints())
          .set(fields.nodeId(), node.id())
          .set(fields.host(), node.host())
          .set(fields.port(), node.port())
          .set(fields.rack(), node.rack());
    }
  }

  /**
   * The current leader of {@code tp}, if the image knows the partition; its endpoint, when it
   * has one on this listener and is not fenced, joins the endpoints.
   */
  private Optional<Leader> leaderOf(TopicPartition tp) {
    Optional<PartitionRegistration> found = image.topic(tp.topic())
        .filter(t -> tp.partition() >= 0 && tp.partition() < t.numPartitions())
        .map((TopicImage t) -> t.partition(tp.partition()));
    found.filter(PartitionRegistration::hasLeader)
        .flatMap(p -> image.broker(p.leader()))
        .filter(BrokerRegistration::isActive)
        .ifPresent(this::addEndpoint);
    return found.map(p -> new Leader(p.leader(), p.leaderEpoch()));
  }

  private void addEndpoint(BrokerRegistration broker) {
    broker.endpoints().stream().filter(e -> e.listener().equals(listener)).findFirst()
        .ifPresent(e -> endpoints.put(broker.id(),
            new Node(broker.id(), e.host(), e.port(), broker.rack().orElse(null))));
  }
}
