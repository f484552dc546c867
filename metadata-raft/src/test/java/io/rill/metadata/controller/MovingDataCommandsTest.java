package io.rill.metadata.controller;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.electLeaders;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.reassign;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.unregister;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.AlterPartitionItem;
import io.rill.metadata.command.AlterPartitionItemResult;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.command.PartitionResult;
import io.rill.metadata.command.ReplicaAssignment;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reassignment (KIP-455), ElectLeaders (KIP-460) and UnregisterBroker through the pure
 * controller: what the replica set, ISR and leader are at each step.
 */
class MovingDataCommandsTest {
  private final ControllerHarness c = new ControllerHarness();
  private final UUID topicId = new UUID(5, 5);

  @BeforeEach
  void fourBrokersAndATopicOnTheFirstThree() {
    for (int b = 1; b <= 4; b++) {
      long epoch = c.run(register(b, new UUID(b, b))).getRegisterBroker().getBrokerEpoch();
      c.run(heartbeat(b, epoch, c.offset, false, false));
    }
    CreatableTopic t = CreatableTopic.newBuilder().setName("t").setNumPartitions(-1)
        .setReplicationFactor(-1).setProposedTopicId(Uuids.toProto(topicId))
        .addAssignments(ReplicaAssignment.newBuilder().setPartition(0)
            .addAllBrokerIds(List.of(1, 2, 3))).build();
    c.run(command(createTopics(t)));
    assertThat(part()).isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3),
        1, 0, 0));
  }

  private PartitionRegistration part() {
    return c.image.topic(topicId).orElseThrow().partition(0);
  }

  private PartitionResult reassignTo(List<Integer> target) {
    return c.run(reassign("t", 0, target, true)).getAlterPartitionReassignments().getResults(0);
  }

  private AlterPartitionItemResult leaderSetsIsr(List<Integer> isr) {
    PartitionRegistration p = part();
    return c.run(ControllerCommand.newBuilder().setAlterPartition(AlterPartitionRequest
        .newBuilder().setBrokerId(p.leader())
        .setBrokerEpoch(c.image.broker(p.leader()).orElseThrow().epoch())
        .addPartitions(AlterPartitionItem.newBuilder().setTopicId(Uuids.toProto(topicId))
            .setPartition(0).setLeaderEpoch(p.leaderEpoch())
            .setPartitionEpoch(p.partitionEpoch()).addAllNewIsr(isr))).build())
        .getAlterPartition().getPartitions(0);
  }

  @Test
  void aReassignmentAddsFirstAndRemovesOnceTheNewReplicaIsInSync() {
    assertThat(reassignTo(List.of(2, 3, 4)).getErrorCode()).isEqualTo(Errors.NONE.code);
    PartitionRegistration moving = part();
    assertThat(moving.replicas()).containsExactly(2, 3, 4, 1);
    assertThat(moving.addingReplicas()).containsExactly(4);
    assertThat(moving.removingReplicas()).containsExactly(1);
    assertThat(moving.leader()).as("the old leader leads while data moves").isEqualTo(1);
    assertThat(moving.leaderEpoch()).isZero();

    // Broker 4 caught up: the leader adds it; that same change completes the reassignment and,
    // as the leader leaves, hands the leadership to the first in-sync target replica.
    AlterPartitionItemResult answer = leaderSetsIsr(List.of(1, 2, 3, 4));
    assertThat(answer.getErrorCode()).isEqualTo(Errors.NONE.code);
    PartitionRegistration done = part();
    assertThat(done.replicas()).containsExactly(2, 3, 4);
    assertThat(done.isr()).containsExactly(2, 3, 4);
    assertThat(done.reassigning()).isFalse();
    assertThat(done.leader()).isEqualTo(2);
    assertThat(done.leaderEpoch()).isEqualTo(1);
    assertThat(answer.getLeader()).isEqualTo(2);
  }

  @Test
  void removingOrReorderingReplicasCompletesAtOnce() {
    assertThat(reassignTo(List.of(3, 2)).getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(part().replicas()).containsExactly(3, 2);
    assertThat(part().isr()).containsExactly(2, 3);
    assertThat(part().leader()).as("the first target replica in sync").isEqualTo(3);
    assertThat(part().reassigning()).isFalse();
    int epoch = part().partitionEpoch();
    assertThat(reassignTo(List.of(3, 2)).getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(part().partitionEpoch()).as("the same target again changes nothing")
        .isEqualTo(epoch);
  }

  @Test
  void aCancelledReassignmentGoesBackToTheOriginalReplicas() {
    reassignTo(List.of(4, 2, 3));
    assertThat(part().addingReplicas()).containsExactly(4);
    PartitionResult cancelled = c.run(reassign("t", 0, null, true))
        .getAlterPartitionReassignments().getResults(0);
    assertThat(cancelled.getErrorCode()).isEqualTo(Errors.NONE.code);
    // KRaft's revert: the original replicas in their order within the current list.
    assertThat(part().replicas()).containsExactly(2, 3, 1);
    assertThat(part().reassigning()).isFalse();
    assertThat(c.run(reassign("t", 0, null, true)).getAlterPartitionReassignments()
        .getResults(0).getErrorCode()).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS.code);
  }

  @Test
  void badTargetsAreRefusedWithKafkasCodes() {
    assertThat(reassignTo(List.of()).getErrorCode())
        .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code);
    assertThat(reassignTo(List.of(1, 1, 2)).getErrorCode())
        .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code);
    assertThat(reassignTo(List.of(1, 2, 9)).getErrorMessage()).contains("broker 9");
    assertThat(c.run(reassign("t", 0, List.of(1, 2), false)).getAlterPartitionReassignments()
        .getResults(0).getErrorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code);
    assertThat(c.run(reassign("nope", 0, List.of(1), true)).getAlterPartitionReassignments()
        .getResults(0).getErrorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    assertThat(part().partitionEpoch()).as("nothing changed").isZero();
  }

  @Test
  void preferredElectionReturnsTheLeadershipOnlyToAnInSyncPreferredReplica() {
    c.run(fence(1));
    assertThat(part().leader()).isEqualTo(2);
    PartitionResult notAvailable = c.run(electLeaders(false, List.of(Map.entry("t", 0))))
        .getElectLeaders().getResults(0);
    assertThat(notAvailable.getErrorCode())
        .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code);
    c.run(heartbeat(1, c.image.broker(1).orElseThrow().epoch(), c.offset, false, false));
    leaderSetsIsr(List.of(2, 3, 1));
    assertThat(c.run(electLeaders(false, null)).getElectLeaders().getResultsList())
        .extracting(PartitionResult::getErrorCode).containsExactly((int) Errors.NONE.code);
    assertThat(part().leader()).isEqualTo(1);
    assertThat(c.run(electLeaders(false, null)).getElectLeaders().getResultsList())
        .as("all partitions: those needing no election are left out").isEmpty();
    assertThat(c.run(electLeaders(false, List.of(Map.entry("t", 0)))).getElectLeaders()
        .getResults(0).getErrorCode()).isEqualTo(Errors.ELECTION_NOT_NEEDED.code);
  }

  @Test
  void uncleanElectionLeadsALeaderlessPartitionFromOutsideTheIsr() {
    c.run(fence(2));
    c.run(fence(3));
    assertThat(part().isr()).containsExactly(1);
    c.run(fence(1)); // the last ISR member goes: no leader
    assertThat(part().hasLeader()).isFalse();
    c.run(heartbeat(3, c.image.broker(3).orElseThrow().epoch(), c.offset, false, false));
    assertThat(part().hasLeader()).as("3 is not in the ISR: no clean leader").isFalse();
    assertThat(c.run(electLeaders(false, List.of(Map.entry("t", 0)))).getElectLeaders()
        .getResults(0).getErrorCode()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code);
    PartitionResult unclean = c.run(electLeaders(true, List.of(Map.entry("t", 0))))
        .getElectLeaders().getResults(0);
    assertThat(unclean.getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(part().leader()).isEqualTo(3);
    assertThat(part().isr()).containsExactly(3);
    assertThat(c.run(electLeaders(true, List.of(Map.entry("t", 0)))).getElectLeaders()
        .getResults(0).getErrorCode()).isEqualTo(Errors.ELECTION_NOT_NEEDED.code);
  }

  @Test
  void anUnregisteredBrokerLeavesTheImageAndItsLeadershipsMove() {
    assertThat(c.run(unregister(1)).getUnregisterBroker().getErrorCode())
        .isEqualTo(Errors.NONE.code);
    assertThat(c.image.broker(1)).isEmpty();
    assertThat(part().leader()).isEqualTo(2);
    assertThat(part().isr()).containsExactly(2, 3);
    assertThat(part().replicas()).as("its replica stays, offline, until reassigned")
        .containsExactly(1, 2, 3);
    assertThat(c.run(unregister(1)).getUnregisterBroker().getErrorCode())
        .isEqualTo(Errors.BROKER_ID_NOT_REGISTERED.code);
    assertThat(reassignTo(List.of(2, 3, 1)).getErrorMessage())
        .as("an unregistered broker cannot be a target").contains("broker 1");
  }

  private ControllerCommand fence(int broker) {
    return ControllerCommand.newBuilder().setFenceBroker(FenceBrokerRequest.newBuilder()
        .setBrokerId(broker).setBrokerEpoch(c.image.broker(broker).orElseThrow().epoch()))
        .build();
  }
}
