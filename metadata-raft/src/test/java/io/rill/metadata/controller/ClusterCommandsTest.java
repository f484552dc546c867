package io.rill.metadata.controller;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.registerBroker;
import static io.rill.metadata.Commands.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.InitClusterRequest;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.ImageRecords;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.protocol.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cluster's identity and rack-aware placement, driven through the pure controller. */
class ClusterCommandsTest {
  private final ControllerHarness c = new ControllerHarness();

  private static ControllerCommand init(String proposed) {
    return ControllerCommand.newBuilder().setInitCluster(
        InitClusterRequest.newBuilder().setProposedClusterId(proposed)).build();
  }

  @Test
  void theFirstProposedClusterIdWinsAndLaterProposalsLearnIt() {
    assertThat(c.image.clusterId()).isEmpty();
    assertThat(c.run(init("first")).getInitCluster().getClusterId()).isEqualTo("first");
    assertThat(c.run(init("second")).getInitCluster().getClusterId()).isEqualTo("first");
    assertThat(c.lastRecords).isEmpty();
    assertThat(c.image.clusterId()).contains("first");
    // A snapshot carries it: replaying the image's records gives the same image.
    ImageBuilder b = ImageBuilder.empty();
    b.replayAll(ImageRecords.of(c.image));
    assertThat(b.build(c.image.offset())).isEqualTo(c.image);
  }

  @Test
  void aBlankProposalChangesNothing() {
    assertThat(c.run(init(" ")).getInitCluster().getClusterId()).isEmpty();
    assertThat(c.image.clusterId()).isEmpty();
  }

  private void registerAndUnfence(int id, String rack) {
    long epoch = c.run(ControllerCommand.newBuilder().setRegisterBroker(
        registerBroker(id, new UUID(id, id)).toBuilder().setRack(rack)).build())
        .getRegisterBroker().getBrokerEpoch();
    c.run(heartbeat(id, epoch, c.offset, false, false));
  }

  @Test
  void replicasOfAPartitionSpreadOverRacksWhenBrokersHaveThem() {
    // Ids deliberately interleave racks badly: ascending order would put 1, 2 (both rack a)
    // next to each other.
    registerAndUnfence(1, "a");
    registerAndUnfence(2, "a");
    registerAndUnfence(3, "b");
    registerAndUnfence(4, "b");
    registerAndUnfence(5, "c");
    registerAndUnfence(6, "c");
    var r = c.run(command(createTopics(topic("racked", 12, 3, new UUID(3, 3)))));
    assertThat(r.getCreateTopics().getTopics(0).getErrorCode()).isEqualTo(Errors.NONE.code);
    for (PartitionRegistration p : c.image.topic("racked").orElseThrow().partitions()) {
      Set<String> racks = new HashSet<>();
      p.replicas().forEach(b -> racks.add(c.image.broker(b).orElseThrow().rack().orElseThrow()));
      assertThat(racks).as("racks of %s", p.replicas()).hasSize(3);
    }
    assertThat(ReplicaPlacer.order(c.image)).isEqualTo(List.of(1, 3, 5, 2, 4, 6));
  }
}
