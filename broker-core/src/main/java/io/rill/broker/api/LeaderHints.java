package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import java.util.Collection;
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
 * <p>One instance per response, used on one thread.
 */
final class LeaderHints {
  /** Where a client reaches a leader: a NodeEndpoints entry. */
  record Node(int id, String host, int port, String rack) {}

  /** A CurrentLeader value: the leader's id (-1 when none) and the partition's leader epoch. */
  record Leader(int id, int epoch) {}

  private final MetadataImage image;
  private final String listener;
  /** The endpoints of the leaders named so far, by id: the response's NodeEndpoints. */
  private final Map<Integer, Node> endpoints = new TreeMap<>();

  LeaderHints(MetadataImage image, String listener) {
    this.image = image;
    this.listener = listener;
  }

  static LeaderHints forRequest(BrokerServices services, RequestContext ctx) {
    return new LeaderHints(services.metadata().image(), ctx.listenerName());
  }

  /** The errors after which a client looks for the new leader (KIP-951). */
  static boolean wanted(Errors error) {
    return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH;
  }

  /**
   * The current leader of {@code tp}, if the image knows the partition; its endpoint, when it
   * has one on this listener and is not fenced, joins {@link #endpoints}.
   */
  Optional<Leader> leaderOf(TopicPartition tp) {
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

  /** The endpoints of every leader named by {@link #leaderOf}, by ascending id. */
  Collection<Node> endpoints() {
    return endpoints.values();
  }
}
