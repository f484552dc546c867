package io.rill.metadata;

import io.rill.metadata.command.AllocateProducerIdsRequest;
import io.rill.metadata.command.AlterPartitionReassignmentsRequest;
import io.rill.metadata.command.BrokerHeartbeatRequest;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreatePartitionsRequest;
import io.rill.metadata.command.CreatePartitionsTopic;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.DeleteTopicsRequest;
import io.rill.metadata.command.ElectLeadersRequest;
import io.rill.metadata.command.ElectionType;
import io.rill.metadata.command.PartitionReassignment;
import io.rill.metadata.command.PartitionRef;
import io.rill.metadata.command.RegisterBrokerRequest;
import io.rill.metadata.command.TopicRef;
import io.rill.metadata.command.UnregisterBrokerRequest;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builders for the commands tests send, with readable defaults. */
public final class Commands {
  private Commands() {}

  public static CreatableTopic topic(String name, int partitions, int rf) {
    return CreatableTopic.newBuilder().setName(name).setNumPartitions(partitions)
        .setReplicationFactor(rf).build();
  }

  public static CreatableTopic topic(String name, int partitions, int rf, UUID id) {
    return topic(name, partitions, rf).toBuilder().setProposedTopicId(Uuids.toProto(id)).build();
  }

  public static CreatableTopic withConfigs(CreatableTopic t, Map<String, String> configs) {
    return t.toBuilder().putAllConfigs(configs).build();
  }

  public static CreateTopicsRequest createTopics(CreatableTopic... topics) {
    CreateTopicsRequest.Builder b = CreateTopicsRequest.newBuilder()
        .setDefaultNumPartitions(1).setDefaultReplicationFactor(1);
    for (CreatableTopic t : topics) {
      b.addTopics(t);
    }
    return b.build();
  }

  public static ControllerCommand command(CreateTopicsRequest r) {
    return ControllerCommand.newBuilder().setCreateTopics(r).build();
  }

  public static ControllerCommand deleteByName(String... names) {
    DeleteTopicsRequest.Builder b = DeleteTopicsRequest.newBuilder();
    for (String n : names) {
      b.addTopics(TopicRef.newBuilder().setName(n));
    }
    return ControllerCommand.newBuilder().setDeleteTopics(b).build();
  }

  public static ControllerCommand deleteById(UUID id) {
    return ControllerCommand.newBuilder().setDeleteTopics(DeleteTopicsRequest.newBuilder()
        .addTopics(TopicRef.newBuilder().setId(Uuids.toProto(id)))).build();
  }

  public static ControllerCommand createPartitions(String name, int count) {
    return ControllerCommand.newBuilder().setCreatePartitions(CreatePartitionsRequest.newBuilder()
        .addTopics(CreatePartitionsTopic.newBuilder().setName(name).setCount(count))).build();
  }

  public static RegisterBrokerRequest registerBroker(int id, UUID incarnation) {
    return RegisterBrokerRequest.newBuilder().setBrokerId(id)
        .setIncarnationId(Uuids.toProto(incarnation))
        .addEndpoints(Endpoint.newBuilder().setListener("PLAINTEXT").setHost("127.0.0.1")
            .setPort(9092 + id).setSecurityProtocol("PLAINTEXT"))
        .build();
  }

  public static ControllerCommand register(int id, UUID incarnation) {
    return ControllerCommand.newBuilder().setRegisterBroker(registerBroker(id, incarnation))
        .build();
  }

  public static ControllerCommand heartbeat(int id, long epoch, long offset, boolean wantFence,
      boolean wantShutDown) {
    return ControllerCommand.newBuilder().setBrokerHeartbeat(BrokerHeartbeatRequest.newBuilder()
        .setBrokerId(id).setBrokerEpoch(epoch).setCurrentMetadataOffset(offset)
        .setWantFence(wantFence).setWantShutDown(wantShutDown)).build();
  }

  public static ControllerCommand allocateProducerIds(int id, long epoch) {
    return ControllerCommand.newBuilder().setAllocateProducerIds(AllocateProducerIdsRequest
        .newBuilder().setBrokerId(id).setBrokerEpoch(epoch)).build();
  }

  /** Reassigns one partition to {@code replicas}, or cancels its reassignment when null. */
  public static ControllerCommand reassign(String topic, int partition, List<Integer> replicas,
      boolean allowReplicationFactorChange) {
    PartitionReassignment.Builder p = PartitionReassignment.newBuilder().setTopic(topic)
        .setPartition(partition).setCancel(replicas == null);
    if (replicas != null) {
      p.addAllReplicas(replicas);
    }
    return ControllerCommand.newBuilder().setAlterPartitionReassignments(
        AlterPartitionReassignmentsRequest.newBuilder().addPartitions(p)
            .setAllowReplicationFactorChange(allowReplicationFactorChange)).build();
  }

  /** ElectLeaders for {@code partitions} (topic, partition), or for all when null. */
  public static ControllerCommand electLeaders(boolean unclean,
      List<Map.Entry<String, Integer>> partitions) {
    ElectLeadersRequest.Builder r = ElectLeadersRequest.newBuilder()
        .setElectionType(unclean ? ElectionType.UNCLEAN : ElectionType.PREFERRED)
        .setAllPartitions(partitions == null);
    if (partitions != null) {
      partitions.forEach(e -> r.addPartitions(
          PartitionRef.newBuilder().setTopic(e.getKey()).setPartition(e.getValue())));
    }
    return ControllerCommand.newBuilder().setElectLeaders(r).build();
  }

  public static ControllerCommand unregister(int brokerId) {
    return ControllerCommand.newBuilder().setUnregisterBroker(
        UnregisterBrokerRequest.newBuilder().setBrokerId(brokerId)).build();
  }
}
