package io.rill.metadata.controller;

import static io.rill.metadata.Commands.allocateProducerIds;
import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.AlterPartitionItem;
import io.rill.metadata.command.AlterPartitionItemResult;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerCommandsTest {
  private final ControllerHarness c = new ControllerHarness();
  private final UUID topicId = new UUID(7, 7);

  private long registerAndUnfence(int id) {
    long epoch = c.run(register(id, new UUID(id, id))).getRegisterBroker().getBrokerEpoch();
    c.run(heartbeat(id, epoch, c.offset, false, false));
    return epoch;
  }

  @Test
  void aNewBrokerStartsFencedWithItsRegistrationOffsetAsEpoch() {
    var r = c.run(register(1, new UUID(1, 1))).getRegisterBroker();
    assertThat(r.getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(r.getBrokerEpoch()).isEqualTo(c.offset);
    assertThat(c.image.broker(1).orElseThrow().fenced()).isTrue();
  }

  @Test
  void unfencingWaitsUntilTheBrokerHasCaughtUpToItsRegistration() {
    long epoch = c.run(register(1, new UUID(1, 1))).getRegisterBroker().getBrokerEpoch();
    var behind = c.run(heartbeat(1, epoch, epoch - 1, false, false)).getBrokerHeartbeat();
    assertThat(behind.getIsFenced()).isTrue();
    var caughtUp = c.run(heartbeat(1, epoch, epoch, false, false)).getBrokerHeartbeat();
    assertThat(caughtUp.getIsFenced()).isFalse();
    assertThat(c.image.isActiveBroker(1)).isTrue();
  }

  @Test
  void reRegistrationKeepsTheEpochAndAnotherIncarnationMustWaitForFencing() {
    long epoch = registerAndUnfence(1);
    assertThat(c.run(register(1, new UUID(1, 1))).getRegisterBroker().getBrokerEpoch())
        .isEqualTo(epoch);
    assertThat(c.lastRecords).isEmpty();
    assertThat(c.run(register(1, new UUID(9, 9))).getRegisterBroker().getErrorCode())
        .isEqualTo(Errors.DUPLICATE_BROKER_REGISTRATION.code);
    c.run(fence(1, epoch));
    var again = c.run(register(1, new UUID(9, 9))).getRegisterBroker();
    assertThat(again.getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(again.getBrokerEpoch()).isGreaterThan(epoch);
  }

  @Test
  void heartbeatsFromUnknownOrStaleBrokersAreRefused() {
    long epoch = registerAndUnfence(1);
    assertThat(c.run(heartbeat(2, epoch, 0, false, false)).getBrokerHeartbeat().getErrorCode())
        .isEqualTo(Errors.BROKER_ID_NOT_REGISTERED.code);
    assertThat(c.run(heartbeat(1, epoch + 1, 0, false, false)).getBrokerHeartbeat()
        .getErrorCode()).isEqualTo(Errors.STALE_BROKER_EPOCH.code);
  }

  private static ControllerCommand fence(int id, long epoch) {
    return ControllerCommand.newBuilder().setFenceBroker(
        FenceBrokerRequest.newBuilder().setBrokerId(id).setBrokerEpoch(epoch)).build();
  }

  @Test
  void fencingMovesLeadershipWithinTheIsrAndLeaderEpochsOnlyGrow() {
    long e1 = registerAndUnfence(1);
    registerAndUnfence(2);
    c.run(command(createTopics(topic("t", 2, 2, topicId))));
    PartitionRegistration ledBy1 = c.image.topic("t").orElseThrow().partitions().stream()
        .filter(p -> p.leader() == 1).findFirst().orElseThrow();
    int index = c.image.topic("t").orElseThrow().partitions().indexOf(ledBy1);
    c.run(fence(1, e1));
    PartitionRegistration after = c.image.topic("t").orElseThrow().partition(index);
    assertThat(after.leader()).isEqualTo(2);
    assertThat(after.isr()).containsExactly(2);
    assertThat(after.leaderEpoch()).isEqualTo(ledBy1.leaderEpoch() + 1);
    assertThat(after.partitionEpoch()).isEqualTo(ledBy1.partitionEpoch() + 1);
    assertThat(c.image.broker(1).orElseThrow().fenced()).isTrue();
  }

  @Test
  void theLastIsrMemberStaysAndLeadsAgainWhenUnfenced() {
    long e1 = registerAndUnfence(1);
    c.run(command(createTopics(topic("solo", 1, 1, topicId))));
    c.run(heartbeat(1, e1, c.offset, true, false));
    PartitionRegistration offline = c.image.topic("solo").orElseThrow().partition(0);
    assertThat(offline.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
    assertThat(offline.isr()).containsExactly(1);
    c.run(heartbeat(1, e1, c.offset, false, false));
    PartitionRegistration back = c.image.topic("solo").orElseThrow().partition(0);
    assertThat(back.leader()).isEqualTo(1);
    assertThat(back.leaderEpoch()).isEqualTo(2);
  }

  @Test
  void controlledShutdownFencesAndTellsTheBrokerToStop() {
    long e1 = registerAndUnfence(1);
    var r = c.run(heartbeat(1, e1, c.offset, false, true)).getBrokerHeartbeat();
    assertThat(r.getShouldShutDown()).isTrue();
    assertThat(r.getIsFenced()).isTrue();
    assertThat(c.image.broker(1).orElseThrow().inControlledShutdown()).isTrue();
    assertThat(c.run(heartbeat(1, e1, c.offset, false, false)).getBrokerHeartbeat()
        .getIsFenced()).as("no unfencing out of shutdown").isTrue();
  }

  @Test
  void producerIdBlocksAreMonotonicAndNeedAValidBroker() {
    long e1 = registerAndUnfence(1);
    long e2 = registerAndUnfence(2);
    var a = c.run(allocateProducerIds(1, e1)).getAllocateProducerIds();
    var b = c.run(allocateProducerIds(2, e2)).getAllocateProducerIds();
    assertThat(a.getProducerIdStart()).isZero();
    assertThat(a.getProducerIdLen()).isEqualTo(1000);
    assertThat(b.getProducerIdStart()).isEqualTo(1000);
    assertThat(c.image.nextProducerId()).isEqualTo(2000);
    assertThat(c.run(allocateProducerIds(1, e1 + 5)).getAllocateProducerIds().getErrorCode())
        .isEqualTo(Errors.STALE_BROKER_EPOCH.code);
    assertThat(c.run(allocateProducerIds(3, 1)).getAllocateProducerIds().getErrorCode())
        .isEqualTo(Errors.BROKER_ID_NOT_REGISTERED.code);
    assertThat(c.image.nextProducerId()).isEqualTo(2000);
  }

  private AlterPartitionItemResult alter(int sender, long epoch, int leaderEpoch,
      int partitionEpoch, List<Integer> isr) {
    return c.run(ControllerCommand.newBuilder().setAlterPartition(AlterPartitionRequest
        .newBuilder().setBrokerId(sender).setBrokerEpoch(epoch).addPartitions(
            AlterPartitionItem.newBuilder().setTopicId(Uuids.toProto(topicId)).setPartition(0)
                .setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch)
                .addAllNewIsr(isr))).build()).getAlterPartition().getPartitions(0);
  }

  @Test
  void alterPartitionIsACompareAndSetOnEpochs() {
    for (int b = 1; b <= 3; b++) {
      registerAndUnfence(b);
    }
    c.run(command(createTopics(topic("isr", 1, 3, topicId))));
    PartitionRegistration p = c.image.topic("isr").orElseThrow().partition(0);
    int leader = p.leader();
    long leaderBrokerEpoch = c.image.broker(leader).orElseThrow().epoch();
    List<Integer> shrunk = List.of(leader);
    AlterPartitionItemResult ok = alter(leader, leaderBrokerEpoch, 0, 0, shrunk);
    assertThat(ok.getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(ok.getIsrList()).isEqualTo(shrunk);
    assertThat(ok.getPartitionEpoch()).isEqualTo(1);
    assertThat(ok.getLeaderEpoch()).as("ISR shrink keeps the leader epoch").isZero();
    assertThat(c.image.topic("isr").orElseThrow().partition(0).isr()).isEqualTo(shrunk);

    assertThat(alter(leader, leaderBrokerEpoch, 0, 0, p.replicas()).getErrorCode())
        .as("stale partition epoch").isEqualTo(Errors.INVALID_UPDATE_VERSION.code);
    assertThat(alter(leader, leaderBrokerEpoch, 1, 1, p.replicas()).getErrorCode())
        .as("future leader epoch").isEqualTo(Errors.NOT_CONTROLLER.code);
    int other = p.replicas().stream().filter(b -> b != leader).findFirst().orElseThrow();
    long otherEpoch = c.image.broker(other).orElseThrow().epoch();
    assertThat(alter(other, otherEpoch, 0, 1, p.replicas()).getErrorCode())
        .as("not the leader").isEqualTo(Errors.INVALID_REQUEST.code);
    assertThat(alter(leader, leaderBrokerEpoch, 0, 1, List.of(other)).getErrorCode())
        .as("leader must stay in the ISR").isEqualTo(Errors.INVALID_REQUEST.code);
    c.run(fence(other, otherEpoch));
    assertThat(alter(leader, leaderBrokerEpoch, 0, 1, List.of(leader, other)).getErrorCode())
        .as("fenced replica").isEqualTo(Errors.INELIGIBLE_REPLICA.code);
    var stale = c.run(ControllerCommand.newBuilder().setAlterPartition(AlterPartitionRequest
        .newBuilder().setBrokerId(leader).setBrokerEpoch(leaderBrokerEpoch + 100)).build());
    assertThat(stale.getAlterPartition().getErrorCode())
        .isEqualTo(Errors.STALE_BROKER_EPOCH.code);
  }

  @Test
  void preferredLeadersGetTheirPartitionsBackOnlyWhenInSyncAndActive() {
    long e1 = registerAndUnfence(1);
    registerAndUnfence(2);
    registerAndUnfence(3);
    c.run(command(createTopics(topic("t", 1, 3, topicId))));
    PartitionRegistration before = c.image.topic(topicId).orElseThrow().partition(0);
    int preferred = before.replicas().get(0);
    assertThat(before.leader()).isEqualTo(preferred);
    assertThat(PartitionControl.electPreferredLeaders(c.image)).isEmpty();

    // The preferred replica is fenced: leadership moves; while it is out, nothing moves back.
    c.run(fence(preferred, c.image.broker(preferred).orElseThrow().epoch()));
    assertThat(c.image.topic(topicId).orElseThrow().partition(0).leader()).isNotEqualTo(preferred);
    assertThat(PartitionControl.electPreferredLeaders(c.image)).isEmpty();

    // Back and unfenced, but not yet in the ISR: still nothing.
    long epoch = c.image.broker(preferred).orElseThrow().epoch();
    c.run(heartbeat(preferred, epoch, c.offset, false, false));
    assertThat(c.image.isActiveBroker(preferred)).isTrue();
    assertThat(PartitionControl.electPreferredLeaders(c.image)).isEmpty();

    // In sync again: the election gives it back, with a new leader epoch.
    PartitionRegistration out = c.image.topic(topicId).orElseThrow().partition(0);
    java.util.List<Integer> isr = new java.util.ArrayList<>(out.isr());
    isr.add(preferred);
    c.run(ControllerCommand.newBuilder().setAlterPartition(AlterPartitionRequest.newBuilder()
        .setBrokerId(out.leader()).setBrokerEpoch(c.image.broker(out.leader()).orElseThrow().epoch())
        .addPartitions(AlterPartitionItem.newBuilder().setTopicId(Uuids.toProto(topicId))
            .setPartition(0).setLeaderEpoch(out.leaderEpoch())
            .setPartitionEpoch(out.partitionEpoch()).addAllNewIsr(isr))).build());
    var r = c.run(ControllerCommand.newBuilder().setElectPreferredLeaders(
        io.rill.metadata.command.ElectPreferredLeadersRequest.getDefaultInstance()).build());
    assertThat(r.getElectPreferredLeaders().getElected()).isEqualTo(1);
    PartitionRegistration after = c.image.topic(topicId).orElseThrow().partition(0);
    assertThat(after.leader()).isEqualTo(preferred);
    assertThat(after.leaderEpoch()).isGreaterThan(out.leaderEpoch());
    assertThat(e1).isPositive();
  }

  @Test
  void withUncleanElectionOnATopicComesBackUnderAnOutOfSyncReplicaAndOffWaitsForItsLastIsr() {
    registerAndUnfence(1);
    registerAndUnfence(2);
    registerAndUnfence(3);
    UUID clean = new UUID(8, 1);
    UUID unclean = new UUID(8, 2);
    c.run(command(createTopics(topic("clean", 1, 3, clean))));
    c.run(command(createTopics(io.rill.metadata.Commands.withConfigs(topic("unclean", 1, 3, unclean),
        java.util.Map.of("unclean.leader.election.enable", "true")))));
    // Shrink both ISRs to their leader alone (the followers fell behind).
    for (UUID id : List.of(clean, unclean)) {
      PartitionRegistration p = c.image.topic(id).orElseThrow().partition(0);
      c.run(ControllerCommand.newBuilder().setAlterPartition(AlterPartitionRequest.newBuilder()
          .setBrokerId(p.leader()).setBrokerEpoch(c.image.broker(p.leader()).orElseThrow().epoch())
          .addPartitions(AlterPartitionItem.newBuilder().setTopicId(Uuids.toProto(id))
              .setPartition(0).setLeaderEpoch(p.leaderEpoch())
              .setPartitionEpoch(p.partitionEpoch()).addNewIsr(p.leader()))).build());
    }
    int cleanLeader = c.image.topic(clean).orElseThrow().partition(0).leader();
    int uncleanLeader = c.image.topic(unclean).orElseThrow().partition(0).leader();
    c.run(fence(cleanLeader, c.image.broker(cleanLeader).orElseThrow().epoch()));
    if (uncleanLeader != cleanLeader) {
      c.run(fence(uncleanLeader, c.image.broker(uncleanLeader).orElseThrow().epoch()));
    }
    PartitionRegistration off = c.image.topic(clean).orElseThrow().partition(0);
    assertThat(off.hasLeader()).as("no unclean election by default").isFalse();
    assertThat(off.isr()).containsExactly(cleanLeader);
    PartitionRegistration on = c.image.topic(unclean).orElseThrow().partition(0);
    assertThat(on.hasLeader()).isTrue();
    assertThat(on.leader()).isNotEqualTo(uncleanLeader);
    assertThat(on.isr()).containsExactly(on.leader());
  }
}
