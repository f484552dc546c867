package io.rill.metadata.controller;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.record.MetadataRecord;
import java.util.List;

/**
 * The controller's decisions, as one pure function: {@code (image, command, offset) ->
 * (records, response)}. No Raft, no threads, no clock, no randomness: the state machine calls
 * it in apply on every replica and must get the same answer everywhere, and tests call it
 * directly.
 *
 * <p>{@code offset} is the Raft index the command was committed at; it becomes the broker
 * epoch of a registration (KRaft uses the record's offset the same way).
 */
public final class MetadataController {
  private MetadataController() {}

  public static ControllerResult<ControllerResponse> execute(
      MetadataImage image, ControllerCommand command, long offset) {
    ControllerResponse.Builder resp = ControllerResponse.newBuilder();
    List<MetadataRecord> records;
    switch (command.getCommandCase()) {
      case CREATE_TOPICS -> {
        var r = TopicControl.createTopics(image, command.getCreateTopics());
        records = r.records();
        resp.setCreateTopics(r.response());
      }
      case DELETE_TOPICS -> {
        var r = TopicControl.deleteTopics(image, command.getDeleteTopics());
        records = r.records();
        resp.setDeleteTopics(r.response());
      }
      case CREATE_PARTITIONS -> {
        var r = TopicControl.createPartitions(image, command.getCreatePartitions());
        records = r.records();
        resp.setCreatePartitions(r.response());
      }
      case ALTER_CONFIGS -> {
        var r = ConfigControl.alterConfigs(image, command.getAlterConfigs());
        records = r.records();
        resp.setAlterConfigs(r.response());
      }
      case INCREMENTAL_ALTER_CONFIGS -> {
        var r = ConfigControl.incrementalAlterConfigs(image, command.getIncrementalAlterConfigs());
        records = r.records();
        resp.setIncrementalAlterConfigs(r.response());
      }
      case ALLOCATE_PRODUCER_IDS -> {
        var r = ClusterControl.allocateProducerIds(image, command.getAllocateProducerIds());
        records = r.records();
        resp.setAllocateProducerIds(r.response());
      }
      case REGISTER_BROKER -> {
        var r = ClusterControl.registerBroker(image, command.getRegisterBroker(), offset);
        records = r.records();
        resp.setRegisterBroker(r.response());
      }
      case BROKER_HEARTBEAT -> {
        var r = ClusterControl.heartbeat(image, command.getBrokerHeartbeat());
        records = r.records();
        resp.setBrokerHeartbeat(r.response());
      }
      case FENCE_BROKER -> {
        var r = ClusterControl.fenceBroker(image, command.getFenceBroker());
        records = r.records();
        resp.setFenceBroker(r.response());
      }
      case ALTER_PARTITION -> {
        var r = PartitionControl.alterPartition(image, command.getAlterPartition());
        records = r.records();
        resp.setAlterPartition(r.response());
      }
      case INIT_CLUSTER -> {
        var r = ClusterControl.initCluster(image, command.getInitCluster());
        records = r.records();
        resp.setInitCluster(r.response());
      }
      case ELECT_PREFERRED_LEADERS -> {
        records = PartitionControl.electPreferredLeaders(image);
        resp.setElectPreferredLeaders(
            io.rill.metadata.command.ElectPreferredLeadersResponse.newBuilder()
                .setElected(records.size()));
      }
      case ELECT_LEADERS -> {
        var r = ElectionControl.electLeaders(image, command.getElectLeaders());
        records = r.records();
        resp.setElectLeaders(r.response());
      }
      case ALTER_PARTITION_REASSIGNMENTS -> {
        var r = ReassignmentControl.alter(image, command.getAlterPartitionReassignments());
        records = r.records();
        resp.setAlterPartitionReassignments(r.response());
      }
      case UNREGISTER_BROKER -> {
        var r = ClusterControl.unregisterBroker(image, command.getUnregisterBroker());
        records = r.records();
        resp.setUnregisterBroker(r.response());
      }
      case COMMAND_NOT_SET -> throw new IllegalArgumentException("empty controller command");
      default -> throw new IllegalArgumentException("unknown command " + command.getCommandCase());
    }
    return ControllerResult.of(records, resp.build());
  }
}
