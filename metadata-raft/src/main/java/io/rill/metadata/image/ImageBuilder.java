package io.rill.metadata.image;

import io.rill.metadata.record.BrokerRegistrationChangeRecord;
import io.rill.metadata.record.ConfigRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionChangeRecord;
import io.rill.metadata.record.PartitionRecord;
import io.rill.metadata.record.ProducerIdsRecord;
import io.rill.metadata.record.RegisterBrokerRecord;
import io.rill.metadata.record.ResourceType;
import io.rill.metadata.record.TopicRecord;
import io.rill.metadata.record.UnregisterBrokerRecord;
import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one way metadata changes: {@link #replay} records onto a base image, then {@link #build}
 * the next image. The state machine uses it for every command's records and for snapshot
 * loading alike (an empty base plus the snapshot's records), so both paths agree by design.
 *
 * <p>Replay is deterministic and trusts nothing: a record that does not fit the image (an
 * unknown topic, a stale broker epoch, a leader outside the ISR) is a bug in what we wrote and
 * throws {@link IllegalStateException}, which stops the node loudly rather than diverge.
 *
 * <p>Not thread-safe: one builder per apply, owned by the calling thread. Topics not touched
 * keep their {@link TopicImage} instance, so a diff between images is cheap.
 */
public final class ImageBuilder {
  private final MetadataImage base;
  private final TreeMap<Integer, BrokerRegistration> brokers;
  private final TreeMap<String, UUID> idsByName;
  private final Map<UUID, TopicImage> topics;
  /** Partition lists of topics changed since the base, rebuilt into TopicImages at build. */
  private final Map<UUID, List<PartitionRegistration>> changedPartitions = new HashMap<>();
  private final TreeMap<ConfigResource, SortedMap<String, String>> configs;
  private long nextProducerId;
  private String clusterId;

  ImageBuilder(MetadataImage base) {
    this.base = base;
    this.brokers = new TreeMap<>(base.brokers());
    this.idsByName = new TreeMap<>();
    base.topics().forEach((name, t) -> idsByName.put(name, t.id()));
    this.topics = new HashMap<>(base.topicsById());
    this.configs = new TreeMap<>(base.allConfigs());
    this.nextProducerId = base.nextProducerId();
    this.clusterId = base.clusterId().orElse("");
  }

  public static ImageBuilder empty() {
    return new ImageBuilder(MetadataImage.EMPTY);
  }

  public void replay(MetadataRecord record) {
    switch (record.getRecordCase()) {
      case REGISTER_BROKER -> replayRegisterBroker(record.getRegisterBroker());
      case BROKER_REGISTRATION_CHANGE -> replayBrokerChange(record.getBrokerRegistrationChange());
      case UNREGISTER_BROKER -> replayUnregisterBroker(record.getUnregisterBroker());
      case TOPIC -> replayTopic(record.getTopic());
      case PARTITION -> replayPartition(record.getPartition());
      case PARTITION_CHANGE -> replayPartitionChange(record.getPartitionChange());
      case REMOVE_TOPIC -> replayRemoveTopic(Uuids.fromProto(record.getRemoveTopic().getTopicId()));
      case CONFIG -> replayConfig(record.getConfig());
      case PRODUCER_IDS -> replayProducerIds(record.getProducerIds());
      case NO_OP -> { }
      case CLUSTER_ID -> replayClusterId(record.getClusterId().getClusterId());
      case RECORD_NOT_SET -> throw new IllegalStateException("empty metadata record");
    }
  }

  public void replayAll(Iterable<MetadataRecord> records) {
    for (MetadataRecord r : records) {
      replay(r);
    }
  }

  private void replayRegisterBroker(RegisterBrokerRecord r) {
    List<BrokerEndpoint> endpoints = new ArrayList<>();
    r.getEndpointsList().forEach(e -> endpoints.add(BrokerEndpoint.fromProto(e)));
    BrokerRegistration previous = brokers.get(r.getBrokerId());
    Checks.state(previous == null || previous.epoch() <= r.getBrokerEpoch(),
        "broker %s epoch went back from %s to %s", r.getBrokerId(),
        previous == null ? -1 : previous.epoch(), r.getBrokerEpoch());
    brokers.put(r.getBrokerId(), new BrokerRegistration(r.getBrokerId(), r.getBrokerEpoch(),
        Uuids.fromProto(r.getIncarnationId()), endpoints,
        r.hasRack() ? Optional.of(r.getRack()) : Optional.empty(),
        r.getFenced(), r.getInControlledShutdown()));
  }

  private BrokerRegistration existingBroker(int id, long epoch) {
    BrokerRegistration b = brokers.get(id);
    Checks.state(b != null, "unknown broker %s", id);
    Checks.state(b.epoch() == epoch, "broker %s has epoch %s, record says %s", id, b.epoch(), epoch);
    return b;
  }

  private void replayBrokerChange(BrokerRegistrationChangeRecord r) {
    BrokerRegistration b = existingBroker(r.getBrokerId(), r.getBrokerEpoch());
    BrokerRegistration next = switch (r.getChange()) {
      case FENCE -> b.withFencing(true, false);
      case UNFENCE -> b.withFencing(false, false);
      case CONTROLLED_SHUTDOWN -> b.withFencing(true, true);
      case BROKER_CHANGE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalStateException("broker change " + r.getChange() + " for " + b.id());
    };
    brokers.put(b.id(), next);
  }

  private void replayUnregisterBroker(UnregisterBrokerRecord r) {
    existingBroker(r.getBrokerId(), r.getBrokerEpoch());
    brokers.remove(r.getBrokerId());
  }

  private void replayTopic(TopicRecord r) {
    UUID id = Uuids.fromProto(r.getTopicId());
    Checks.state(!idsByName.containsKey(r.getName()), "topic %s exists", r.getName());
    Checks.state(!topics.containsKey(id), "topic id %s exists", id);
    TopicImage t = new TopicImage(r.getName(), id, List.of());
    idsByName.put(r.getName(), id);
    topics.put(id, t);
    changedPartitions.put(id, new ArrayList<>());
  }

  private List<PartitionRegistration> partitionsForChange(UUID topicId) {
    TopicImage t = topics.get(topicId);
    Checks.state(t != null, "unknown topic id %s", topicId);
    return changedPartitions.computeIfAbsent(topicId, id -> new ArrayList<>(t.partitions()));
  }

  private void replayPartition(PartitionRecord r) {
    UUID topicId = Uuids.fromProto(r.getTopicId());
    List<PartitionRegistration> parts = partitionsForChange(topicId);
    int p = r.getPartition();
    Checks.state(p >= 0 && p <= parts.size(), "topic %s: partition %s after %s partitions",
        topicId, p, parts.size());
    PartitionRegistration next = new PartitionRegistration(r.getReplicasList(), r.getIsrList(),
        r.getLeader(), r.getLeaderEpoch(), r.getPartitionEpoch(), r.getAddingReplicasList(),
        r.getRemovingReplicasList());
    if (p == parts.size()) {
      parts.add(next);
    } else {
      PartitionRegistration prev = parts.get(p);
      Checks.state(next.leaderEpoch() >= prev.leaderEpoch()
          && next.partitionEpoch() >= prev.partitionEpoch(),
          "topic %s partition %s: epochs went back", topicId, p);
      parts.set(p, next);
    }
  }

  private void replayPartitionChange(PartitionChangeRecord r) {
    UUID topicId = Uuids.fromProto(r.getTopicId());
    List<PartitionRegistration> parts = partitionsForChange(topicId);
    int p = r.getPartition();
    Checks.state(p >= 0 && p < parts.size(), "topic %s has no partition %s", topicId, p);
    PartitionRegistration prev = parts.get(p);
    int leader = r.hasLeader() ? r.getLeader() : prev.leader();
    List<Integer> isr = r.hasIsr() ? r.getIsr().getIdsList() : prev.isr();
    if (r.hasReplicas()) {
      parts.set(p, prev.reassign(r.getReplicas().getIdsList(), r.getAddingReplicas().getIdsList(),
          r.getRemovingReplicas().getIdsList(), leader, isr));
    } else {
      parts.set(p, prev.merge(leader, isr));
    }
  }

  private void replayRemoveTopic(UUID id) {
    TopicImage t = topics.remove(id);
    Checks.state(t != null, "remove of unknown topic id %s", id);
    idsByName.remove(t.name());
    changedPartitions.remove(id);
    ConfigResource resource = ConfigResource.topic(t.name());
    configs.remove(resource);
  }

  private void replayConfig(ConfigRecord r) {
    ConfigResource resource = new ConfigResource(r.getResourceType(), r.getResourceName());
    if (r.getResourceType() == ResourceType.TOPIC) {
      Checks.state(idsByName.containsKey(r.getResourceName()),
          "config for unknown topic %s", r.getResourceName());
    }
    Checks.state(!r.getName().isEmpty(), "config record without a name for %s", resource);
    SortedMap<String, String> current = configs.get(resource);
    TreeMap<String, String> next = current == null ? new TreeMap<>() : new TreeMap<>(current);
    if (r.hasValue()) {
      next.put(r.getName(), r.getValue());
    } else {
      next.remove(r.getName());
    }
    if (next.isEmpty()) {
      configs.remove(resource);
    } else {
      configs.put(resource, Collections.unmodifiableSortedMap(next));
    }
  }

  private void replayClusterId(String id) {
    Checks.state(!id.isEmpty(), "empty cluster id record");
    Checks.state(clusterId.isEmpty() || clusterId.equals(id),
        "cluster id %s replaced by %s", clusterId, id);
    clusterId = id;
  }

  private void replayProducerIds(ProducerIdsRecord r) {
    Checks.state(r.getNextProducerId() > nextProducerId,
        "producer ids went back from %s to %s", nextProducerId, r.getNextProducerId());
    nextProducerId = r.getNextProducerId();
  }

  /** The image after the records replayed so far, as of Raft index {@code offset}. */
  public MetadataImage build(long offset) {
    Checks.state(offset >= base.offset(), "image offset went back from %s to %s",
        base.offset(), offset);
    TreeMap<String, TopicImage> byName = new TreeMap<>();
    HashMap<UUID, TopicImage> byId = new HashMap<>();
    for (Map.Entry<UUID, TopicImage> e : topics.entrySet()) {
      TopicImage t = e.getValue();
      List<PartitionRegistration> parts = changedPartitions.get(e.getKey());
      if (parts != null) {
        t = new TopicImage(t.name(), t.id(), parts);
      }
      byName.put(t.name(), t);
      byId.put(t.id(), t);
    }
    return new MetadataImage(offset, clusterId,
        Collections.unmodifiableNavigableMap(new TreeMap<>(brokers)),
        Collections.unmodifiableNavigableMap(byName),
        Collections.unmodifiableMap(byId),
        Collections.unmodifiableNavigableMap(new TreeMap<>(configs)),
        nextProducerId);
  }
}
