package io.rill.metadata.controller;

import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreatableTopicResult;
import io.rill.metadata.command.CreatePartitionsRequest;
import io.rill.metadata.command.CreatePartitionsResponse;
import io.rill.metadata.command.CreatePartitionsTopic;
import io.rill.metadata.command.CreatePartitionsTopicResult;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.CreateTopicsResponse;
import io.rill.metadata.command.DeletableTopicResult;
import io.rill.metadata.command.DeleteTopicsRequest;
import io.rill.metadata.command.DeleteTopicsResponse;
import io.rill.metadata.command.ReplicaAssignment;
import io.rill.metadata.command.TopicRef;
import io.rill.metadata.config.TopicConfigs;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.ConfigRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionRecord;
import io.rill.metadata.record.RemoveTopicRecord;
import io.rill.metadata.record.ResourceType;
import io.rill.metadata.record.TopicRecord;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * CreateTopics, DeleteTopics and CreatePartitions: validation and the records they produce.
 * Pure functions of (image, request); topic ids come from the request, never from here.
 */
final class TopicControl {
  /** The most partitions one topic may have; bounds the records one command produces. */
  static final int PARTITIONS_PER_TOPIC_MAX = 10_000;

  private TopicControl() {}

  /** A failed topic-level check: the Kafka error and its message. */
  record Failure(Errors error, String message) {}

  static ControllerResult<CreateTopicsResponse> createTopics(
      MetadataImage image, CreateTopicsRequest req) {
    Map<String, Integer> nameCounts = new HashMap<>();
    req.getTopicsList().forEach(t -> nameCounts.merge(t.getName(), 1, Integer::sum));
    Set<String> collisionKeys = new HashSet<>();
    image.topics().keySet().forEach(n -> collisionKeys.add(TopicNames.collisionKey(n)));
    Set<UUID> newIds = new HashSet<>();
    List<MetadataRecord> records = new ArrayList<>();
    CreateTopicsResponse.Builder resp = CreateTopicsResponse.newBuilder();
    for (CreatableTopic t : req.getTopicsList()) {
      CreatableTopicResult.Builder result = CreatableTopicResult.newBuilder().setName(t.getName());
      Optional<Failure> failure = nameCounts.get(t.getName()) > 1
          ? Optional.of(new Failure(Errors.INVALID_REQUEST, "Duplicate topic name."))
          : checkNewTopic(image, t, collisionKeys, newIds);
      List<List<Integer>> placement = List.of();
      if (failure.isEmpty()) {
        PlacementOrFailure p = placement(image, req, t);
        failure = p.failure();
        placement = p.replicas();
      }
      if (failure.isPresent()) {
        resp.addTopics(result.setErrorCode(failure.get().error().code)
            .setErrorMessage(failure.get().message()).setNumPartitions(-1)
            .setReplicationFactor(-1));
        continue;
      }
      UUID id = Uuids.fromProto(t.getProposedTopicId());
      result.setNumPartitions(placement.size()).setReplicationFactor(placement.get(0).size());
      if (!req.getValidateOnly()) {
        collisionKeys.add(TopicNames.collisionKey(t.getName()));
        newIds.add(id);
        records.addAll(newTopicRecords(image, t.getName(), id, placement, t.getConfigsMap()));
        result.setTopicId(Uuids.toProto(id));
      }
      resp.addTopics(result);
    }
    return ControllerResult.of(records, resp.build());
  }

  private static Optional<Failure> checkNewTopic(
      MetadataImage image, CreatableTopic t, Set<String> collisionKeys, Set<UUID> newIds) {
    Optional<String> badName = TopicNames.validate(t.getName());
    if (badName.isPresent()) {
      return Optional.of(new Failure(Errors.INVALID_TOPIC_EXCEPTION, badName.get()));
    }
    if (image.topic(t.getName()).isPresent()) {
      return Optional.of(new Failure(Errors.TOPIC_ALREADY_EXISTS,
          "Topic '" + t.getName() + "' already exists."));
    }
    if (collisionKeys.contains(TopicNames.collisionKey(t.getName()))) {
      return Optional.of(new Failure(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + t.getName()
          + "' collides with an existing topic (names differ only in '.' versus '_')."));
    }
    UUID id = Uuids.fromProto(t.getProposedTopicId());
    if (Uuids.isReserved(id) || image.topic(id).isPresent() || newIds.contains(id)) {
      return Optional.of(new Failure(Errors.INVALID_REQUEST,
          "The proposed topic id " + id + " is reserved or already in use."));
    }
    for (Map.Entry<String, String> c : new TreeMap<>(t.getConfigsMap()).entrySet()) {
      Optional<String> bad = TopicConfigs.validate(c.getKey(), c.getValue());
      if (bad.isPresent()) {
        return Optional.of(new Failure(Errors.INVALID_CONFIG, bad.get()));
      }
    }
    return Optional.empty();
  }

  private record PlacementOrFailure(List<List<Integer>> replicas, Optional<Failure> failure) {
    static PlacementOrFailure fail(Errors error, String message) {
      return new PlacementOrFailure(List.of(), Optional.of(new Failure(error, message)));
    }
  }

  private static PlacementOrFailure placement(
      MetadataImage image, CreateTopicsRequest req, CreatableTopic t) {
    if (t.getAssignmentsCount() > 0) {
      if (t.getNumPartitions() != -1 || t.getReplicationFactor() != -1) {
        return PlacementOrFailure.fail(Errors.INVALID_REQUEST, "Both numPartitions or"
            + " replicationFactor and replicasAssignments were set. Both cannot be used at the"
            + " same time.");
      }
      return manualPlacement(image, t.getAssignmentsList());
    }
    int partitions = t.getNumPartitions() == -1 ? req.getDefaultNumPartitions()
        : t.getNumPartitions();
    int rf = t.getReplicationFactor() == -1 ? req.getDefaultReplicationFactor()
        : t.getReplicationFactor();
    if (partitions <= 0) {
      return PlacementOrFailure.fail(Errors.INVALID_PARTITIONS,
          "Number of partitions was set to an invalid non-positive value.");
    }
    if (partitions > PARTITIONS_PER_TOPIC_MAX) {
      return PlacementOrFailure.fail(Errors.INVALID_PARTITIONS, "Number of partitions "
          + partitions + " exceeds the maximum of " + PARTITIONS_PER_TOPIC_MAX + ".");
    }
    if (rf <= 0) {
      return PlacementOrFailure.fail(Errors.INVALID_REPLICATION_FACTOR,
          "Replication factor must be larger than 0, or -1 to use the default value.");
    }
    List<Integer> brokers = ReplicaPlacer.order(image);
    if (rf > brokers.size()) {
      return PlacementOrFailure.fail(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate"
          + " the partition " + rf + " time(s): The target replication factor of " + rf
          + " cannot be reached because only " + brokers.size() + " broker(s) are registered.");
    }
    int seed = Uuids.fromProto(t.getProposedTopicId()).hashCode();
    return new PlacementOrFailure(ReplicaPlacer.place(brokers, seed, 0, partitions, rf),
        Optional.empty());
  }

  private static PlacementOrFailure manualPlacement(
      MetadataImage image, List<ReplicaAssignment> assignments) {
    if (assignments.size() > PARTITIONS_PER_TOPIC_MAX) {
      return PlacementOrFailure.fail(Errors.INVALID_PARTITIONS, "Too many partitions.");
    }
    List<List<Integer>> byPartition = new ArrayList<>();
    for (int i = 0; i < assignments.size(); i++) {
      byPartition.add(null);
    }
    for (ReplicaAssignment a : assignments) {
      int p = a.getPartition();
      if (p < 0 || p >= assignments.size() || byPartition.get(p) != null) {
        return PlacementOrFailure.fail(Errors.INVALID_REPLICA_ASSIGNMENT,
            "Partitions must be numbered 0.." + (assignments.size() - 1) + " once each.");
      }
      List<Integer> replicas = a.getBrokerIdsList();
      if (replicas.isEmpty() || new HashSet<>(replicas).size() != replicas.size()) {
        return PlacementOrFailure.fail(Errors.INVALID_REPLICA_ASSIGNMENT,
            "Partition " + p + " has an empty or duplicate replica list " + replicas + ".");
      }
      if (replicas.size() != assignments.get(0).getBrokerIdsCount()) {
        return PlacementOrFailure.fail(Errors.INVALID_REPLICA_ASSIGNMENT,
            "All partitions must have the same number of replicas.");
      }
      if (replicas.stream().noneMatch(image::isActiveBroker)
          || replicas.stream().anyMatch(b -> image.broker(b).isEmpty())) {
        return PlacementOrFailure.fail(Errors.INVALID_REPLICA_ASSIGNMENT, "Partition " + p
            + " names unregistered brokers or only fenced ones: " + replicas + ".");
      }
      byPartition.set(p, replicas);
    }
    return new PlacementOrFailure(byPartition, Optional.empty());
  }

  private static List<MetadataRecord> newTopicRecords(MetadataImage image, String name, UUID id,
      List<List<Integer>> placement, Map<String, String> configs) {
    List<MetadataRecord> records = new ArrayList<>();
    records.add(MetadataRecord.newBuilder().setTopic(
        TopicRecord.newBuilder().setName(name).setTopicId(Uuids.toProto(id))).build());
    for (int p = 0; p < placement.size(); p++) {
      records.add(newPartitionRecord(image, id, p, placement.get(p)));
    }
    for (Map.Entry<String, String> c : new TreeMap<>(configs).entrySet()) {
      records.add(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
          .setResourceType(ResourceType.TOPIC).setResourceName(name)
          .setName(c.getKey()).setValue(c.getValue())).build());
    }
    return records;
  }

  /** A new partition: the ISR is its active replicas, led by the first of them. */
  private static MetadataRecord newPartitionRecord(
      MetadataImage image, UUID topicId, int partition, List<Integer> replicas) {
    List<Integer> isr = replicas.stream().filter(image::isActiveBroker).toList();
    return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
        .setTopicId(Uuids.toProto(topicId)).setPartition(partition)
        .addAllReplicas(replicas).addAllIsr(isr).setLeader(isr.get(0))
        .setLeaderEpoch(0).setPartitionEpoch(0)).build();
  }

  static ControllerResult<DeleteTopicsResponse> deleteTopics(
      MetadataImage image, DeleteTopicsRequest req) {
    Set<UUID> deleted = new HashSet<>();
    List<MetadataRecord> records = new ArrayList<>();
    DeleteTopicsResponse.Builder resp = DeleteTopicsResponse.newBuilder();
    for (TopicRef ref : req.getTopicsList()) {
      DeletableTopicResult.Builder result = DeletableTopicResult.newBuilder();
      Optional<TopicImage> topic;
      if (ref.hasId()) {
        result.setTopicId(ref.getId());
        topic = image.topic(Uuids.fromProto(ref.getId()));
        if (topic.isEmpty()) {
          resp.addTopics(result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code)
              .setErrorMessage("This server does not host this topic ID."));
          continue;
        }
      } else {
        result.setName(ref.getName());
        topic = image.topic(ref.getName());
        if (topic.isEmpty()) {
          resp.addTopics(result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code)
              .setErrorMessage("This server does not host this topic-partition."));
          continue;
        }
      }
      TopicImage t = topic.get();
      result.setName(t.name()).setTopicId(Uuids.toProto(t.id()));
      if (!deleted.add(t.id())) {
        resp.addTopics(result.setErrorCode(Errors.INVALID_REQUEST.code)
            .setErrorMessage("Duplicate topic in request."));
        continue;
      }
      records.add(MetadataRecord.newBuilder().setRemoveTopic(
          RemoveTopicRecord.newBuilder().setTopicId(Uuids.toProto(t.id()))).build());
      resp.addTopics(result);
    }
    return ControllerResult.of(records, resp.build());
  }

  static ControllerResult<CreatePartitionsResponse> createPartitions(
      MetadataImage image, CreatePartitionsRequest req) {
    Map<String, Integer> nameCounts = new HashMap<>();
    req.getTopicsList().forEach(t -> nameCounts.merge(t.getName(), 1, Integer::sum));
    List<MetadataRecord> records = new ArrayList<>();
    CreatePartitionsResponse.Builder resp = CreatePartitionsResponse.newBuilder();
    for (CreatePartitionsTopic t : req.getTopicsList()) {
      CreatePartitionsTopicResult.Builder result =
          CreatePartitionsTopicResult.newBuilder().setName(t.getName());
      Optional<TopicImage> topic = image.topic(t.getName());
      Optional<Failure> failure = nameCounts.get(t.getName()) > 1
          ? Optional.of(new Failure(Errors.INVALID_REQUEST, "Duplicate topic name."))
          : checkPartitionIncrease(image, topic, t);
      if (failure.isPresent()) {
        resp.addTopics(result.setErrorCode(failure.get().error().code)
            .setErrorMessage(failure.get().message()));
        continue;
      }
      TopicImage ti = topic.orElseThrow();
      if (!req.getValidateOnly()) {
        List<List<Integer>> placement = ReplicaPlacer.place(ReplicaPlacer.order(image),
            ti.id().hashCode(), ti.numPartitions(), t.getCount() - ti.numPartitions(),
            ti.replicationFactor());
        for (int i = 0; i < placement.size(); i++) {
          records.add(newPartitionRecord(image, ti.id(), ti.numPartitions() + i,
              placement.get(i)));
        }
      }
      resp.addTopics(result);
    }
    return ControllerResult.of(records, resp.build());
  }

  private static Optional<Failure> checkPartitionIncrease(
      MetadataImage image, Optional<TopicImage> topic, CreatePartitionsTopic t) {
    if (topic.isEmpty()) {
      return Optional.of(new Failure(Errors.UNKNOWN_TOPIC_OR_PARTITION,
          "The topic '" + t.getName() + "' does not exist."));
    }
    int current = topic.get().numPartitions();
    if (t.getCount() < current) {
      return Optional.of(new Failure(Errors.INVALID_PARTITIONS, "Topic currently has " + current
          + " partitions, which is higher than the requested " + t.getCount() + "."));
    }
    if (t.getCount() == current) {
      return Optional.of(new Failure(Errors.INVALID_PARTITIONS,
          "Topic already has " + current + " partitions."));
    }
    if (t.getCount() > PARTITIONS_PER_TOPIC_MAX) {
      return Optional.of(new Failure(Errors.INVALID_PARTITIONS, "Number of partitions "
          + t.getCount() + " exceeds the maximum of " + PARTITIONS_PER_TOPIC_MAX + "."));
    }
    int rf = topic.get().replicationFactor();
    int brokers = image.activeBrokerIds().size();
    if (rf > brokers) {
      return Optional.of(new Failure(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate"
          + " the partition " + rf + " time(s): only " + brokers + " broker(s) are active."));
    }
    return Optional.empty();
  }
}
