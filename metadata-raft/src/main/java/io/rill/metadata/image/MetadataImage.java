package io.rill.metadata.image;

import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The cluster metadata at one point of the metadata log: brokers, topics (by name and by id)
 * with their partitions, dynamic configs per resource, and the next producer-id block.
 *
 * <p>Immutable, so any thread may read it; a new image is made only by {@link ImageBuilder},
 * by replaying records. Two images built from the same records are {@code equals}.
 *
 * <p>Invariants: {@code topicsById} and {@code topicsByName} hold the same topics; every topic
 * config resource names an existing topic; {@code offset} is the Raft index of the last
 * command applied (-1 before any); {@code nextProducerId} only grows.
 */
public final class MetadataImage {
  public static final MetadataImage EMPTY =
      new MetadataImage(-1, "", Collections.emptyNavigableMap(), Collections.emptyNavigableMap(),
          Map.of(), Collections.emptyNavigableMap(), 0);

  private final long offset;
  /** Empty until the quorum has agreed on one; then fixed for the cluster's life. */
  private final String clusterId;
  private final NavigableMap<Integer, BrokerRegistration> brokers;
  private final NavigableMap<String, TopicImage> topicsByName;
  private final Map<UUID, TopicImage> topicsById;
  private final NavigableMap<ConfigResource, SortedMap<String, String>> configs;
  private final long nextProducerId;

  /** Takes ownership of already unmodifiable maps; only {@link ImageBuilder} calls this. */
  MetadataImage(
      long offset,
      String clusterId,
      NavigableMap<Integer, BrokerRegistration> brokers,
      NavigableMap<String, TopicImage> topicsByName,
      Map<UUID, TopicImage> topicsById,
      NavigableMap<ConfigResource, SortedMap<String, String>> configs,
      long nextProducerId) {
    Checks.state(topicsById.size() == topicsByName.size(),
        "topic maps disagree: %s by id, %s by name", topicsById.size(), topicsByName.size());
    this.offset = offset;
    this.clusterId = Objects.requireNonNull(clusterId);
    this.brokers = brokers;
    this.topicsByName = topicsByName;
    this.topicsById = topicsById;
    this.configs = configs;
    this.nextProducerId = nextProducerId;
  }

  public long offset() {
    return offset;
  }

  /** The cluster id the quorum agreed on; empty before the first controller proposed one. */
  public Optional<String> clusterId() {
    return clusterId.isEmpty() ? Optional.empty() : Optional.of(clusterId);
  }

  public NavigableMap<Integer, BrokerRegistration> brokers() {
    return brokers;
  }

  public Optional<BrokerRegistration> broker(int id) {
    return Optional.ofNullable(brokers.get(id));
  }

  /** Ids of the unfenced brokers, ascending: the ones that may host new replicas and lead. */
  public List<Integer> activeBrokerIds() {
    List<Integer> ids = new ArrayList<>();
    for (BrokerRegistration b : brokers.values()) {
      if (b.isActive()) {
        ids.add(b.id());
      }
    }
    return ids;
  }

  public boolean isActiveBroker(int id) {
    BrokerRegistration b = brokers.get(id);
    return b != null && b.isActive();
  }

  /** All topics by name, in name order. */
  public NavigableMap<String, TopicImage> topics() {
    return topicsByName;
  }

  public Map<UUID, TopicImage> topicsById() {
    return topicsById;
  }

  public Optional<TopicImage> topic(String name) {
    return Optional.ofNullable(topicsByName.get(name));
  }

  public Optional<TopicImage> topic(UUID id) {
    return Optional.ofNullable(topicsById.get(id));
  }

  /** The dynamic configs set on a resource (empty when none). */
  public SortedMap<String, String> configs(ConfigResource resource) {
    SortedMap<String, String> c = configs.get(resource);
    return c == null ? Collections.emptySortedMap() : c;
  }

  public NavigableMap<ConfigResource, SortedMap<String, String>> allConfigs() {
    return configs;
  }

  /** The first producer id of the next block to hand out. */
  public long nextProducerId() {
    return nextProducerId;
  }

  public ImageBuilder toBuilder() {
    return new ImageBuilder(this);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MetadataImage other)) {
      return false;
    }
    return offset == other.offset
        && clusterId.equals(other.clusterId)
        && nextProducerId == other.nextProducerId
        && brokers.equals(other.brokers)
        && topicsByName.equals(other.topicsByName)
        && configs.equals(other.configs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(offset, clusterId, nextProducerId, brokers, topicsByName, configs);
  }

  @Override
  public String toString() {
    return "MetadataImage{offset=" + offset + ", clusterId=" + clusterId + ", brokers=" + brokers.values()
        + ", topics=" + topicsByName.values() + ", configs=" + configs
        + ", nextProducerId=" + nextProducerId + "}";
  }
}
