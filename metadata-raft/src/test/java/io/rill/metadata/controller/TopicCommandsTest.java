package io.rill.metadata.controller;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createPartitions;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.deleteById;
import static io.rill.metadata.Commands.deleteByName;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.topic;
import static io.rill.metadata.Commands.withConfigs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreatableTopicResult;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.command.ReplicaAssignment;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopicCommandsTest {
  private final ControllerHarness c = new ControllerHarness();
  private final UUID id1 = new UUID(11, 1);
  private final UUID id2 = new UUID(22, 2);

  /** Brokers 1..3 registered and unfenced; broker 4 registered but fenced. */
  @BeforeEach
  void brokers() {
    for (int b = 1; b <= 4; b++) {
      long epoch = c.run(register(b, new UUID(b, b))).getRegisterBroker().getBrokerEpoch();
      if (b < 4) {
        c.run(heartbeat(b, epoch, c.offset, false, false));
      }
    }
  }

  private CreatableTopicResult create(CreatableTopic t) {
    return c.run(command(createTopics(t))).getCreateTopics().getTopics(0);
  }

  private Errors createError(CreatableTopic t) {
    return Errors.forCode(create(t).getErrorCode());
  }

  @Test
  void createPlacesReplicasRoundRobinOverActiveBrokersAndUsesTheCommandsId() {
    CreatableTopicResult r = create(topic("orders", 6, 2, id1));
    assertThat(r.getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(Uuids.fromProto(r.getTopicId())).isEqualTo(id1);
    assertThat(r.getNumPartitions()).isEqualTo(6);
    assertThat(r.getReplicationFactor()).isEqualTo(2);
    TopicImage t = c.image.topic("orders").orElseThrow();
    assertThat(c.image.topic(id1)).contains(t);
    assertThat(t.numPartitions()).isEqualTo(6);
    for (PartitionRegistration p : t.partitions()) {
      assertThat(p.replicas()).hasSize(2).doesNotContain(4).doesNotHaveDuplicates();
      assertThat(p.isr()).isEqualTo(p.replicas());
      assertThat(p.leader()).isEqualTo(p.replicas().get(0));
      assertThat(p.leaderEpoch()).isZero();
      assertThat(p.partitionEpoch()).isZero();
    }
    // Leaders spread evenly: each of the 3 active brokers leads 2 of 6 partitions.
    assertThat(t.partitions().stream().map(PartitionRegistration::leader).distinct()).hasSize(3);
  }

  @Test
  void defaultsApplyWhenPartitionsAndReplicationFactorAreMinusOne() {
    CreateTopicsRequest req = createTopics(topic("d", -1, -1, id1)).toBuilder()
        .setDefaultNumPartitions(4).setDefaultReplicationFactor(3).build();
    c.run(command(req));
    TopicImage t = c.image.topic("d").orElseThrow();
    assertThat(t.numPartitions()).isEqualTo(4);
    assertThat(t.replicationFactor()).isEqualTo(3);
  }

  @Test
  void illegalNamesAreInvalidTopicException() {
    for (String bad : List.of("", ".", "..", "a".repeat(250), "a b", "a/b", "ü", "a:b")) {
      assertThat(createError(topic(bad, 1, 1, id1))).as("name '%s'", bad)
          .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    }
    assertThat(createError(topic("a".repeat(249), 1, 1, id1))).isEqualTo(Errors.NONE);
    assertThat(createError(topic("Ok.name_with-all-09", 1, 1, id2))).isEqualTo(Errors.NONE);
  }

  @Test
  void existingAndCollidingNamesAreRefused() {
    create(topic("a.b", 1, 1, id1));
    assertThat(createError(topic("a.b", 1, 1, id2))).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
    assertThat(createError(topic("a_b", 1, 1, id2))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(c.lastRecords).isEmpty();
  }

  @Test
  void duplicateNamesInOneRequestAreInvalidRequest() {
    var resp = c.run(command(createTopics(topic("x", 1, 1, id1), topic("x", 1, 1, id2))));
    assertThat(resp.getCreateTopics().getTopicsList())
        .allMatch(r -> r.getErrorCode() == Errors.INVALID_REQUEST.code);
    assertThat(c.image.topic("x")).isEmpty();
  }

  @Test
  void partitionCountsAndReplicationFactorsAreChecked() {
    assertThat(createError(topic("p", 0, 1, id1))).isEqualTo(Errors.INVALID_PARTITIONS);
    assertThat(createError(topic("p", -2, 1, id1))).isEqualTo(Errors.INVALID_PARTITIONS);
    assertThat(createError(topic("p", TopicControl.PARTITIONS_PER_TOPIC_MAX + 1, 1, id1)))
        .isEqualTo(Errors.INVALID_PARTITIONS);
    assertThat(createError(topic("p", 1, 0, id1))).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    // 4 brokers registered but one is fenced: 3 is the most.
    assertThat(createError(topic("p", 1, 4, id1))).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    assertThat(create(topic("p", 1, 4, id1)).getErrorMessage()).contains("only 3 broker(s)");
    assertThat(createError(topic("p", 1, 3, id1))).isEqualTo(Errors.NONE);
  }

  @Test
  void configsAreValidatedAndRecorded() {
    assertThat(createError(withConfigs(topic("c", 1, 1, id1), Map.of("no.such", "1"))))
        .isEqualTo(Errors.INVALID_CONFIG);
    assertThat(createError(withConfigs(topic("c", 1, 1, id1), Map.of("retention.ms", "soon"))))
        .isEqualTo(Errors.INVALID_CONFIG);
    assertThat(createError(withConfigs(topic("c", 1, 1, id1),
        Map.of("cleanup.policy", "compact,shred")))).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(createError(withConfigs(topic("c", 1, 1, id1),
        Map.of("retention.ms", "1000", "cleanup.policy", "compact,delete"))))
        .isEqualTo(Errors.NONE);
    assertThat(c.image.configs(ConfigResource.topic("c")))
        .containsEntry("retention.ms", "1000").containsEntry("cleanup.policy", "compact,delete");
  }

  @Test
  void validateOnlyAnswersWithoutRecords() {
    var resp = c.run(command(createTopics(topic("v", 3, 2, id1)).toBuilder()
        .setValidateOnly(true).build()));
    assertThat(resp.getCreateTopics().getTopics(0).getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(resp.getCreateTopics().getTopics(0).getNumPartitions()).isEqualTo(3);
    assertThat(c.lastRecords).isEmpty();
    assertThat(c.image.topic("v")).isEmpty();
  }

  @Test
  void aMissingOrReservedTopicIdIsRefused() {
    assertThat(createError(topic("z", 1, 1))).isEqualTo(Errors.INVALID_REQUEST);
    create(topic("y", 1, 1, id1));
    assertThat(createError(topic("z", 1, 1, id1))).as("id in use")
        .isEqualTo(Errors.INVALID_REQUEST);
  }

  @Test
  void manualAssignmentsAreHonouredAndChecked() {
    CreatableTopic manual = CreatableTopic.newBuilder().setName("m").setNumPartitions(-1)
        .setReplicationFactor(-1).setProposedTopicId(Uuids.toProto(id1))
        .addAssignments(ReplicaAssignment.newBuilder().setPartition(0).addBrokerIds(3)
            .addBrokerIds(4))
        .addAssignments(ReplicaAssignment.newBuilder().setPartition(1).addBrokerIds(2)
            .addBrokerIds(1))
        .build();
    assertThat(createError(manual)).isEqualTo(Errors.NONE);
    PartitionRegistration p0 = c.image.topic("m").orElseThrow().partition(0);
    assertThat(p0.replicas()).containsExactly(3, 4);
    assertThat(p0.isr()).as("fenced broker 4 not in ISR").containsExactly(3);
    CreatableTopic gap = manual.toBuilder().setName("g").setProposedTopicId(Uuids.toProto(id2))
        .setAssignments(1, ReplicaAssignment.newBuilder().setPartition(2).addBrokerIds(1)
            .addBrokerIds(2)).build();
    assertThat(createError(gap)).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    CreatableTopic unknownBroker = manual.toBuilder().setName("u")
        .setProposedTopicId(Uuids.toProto(id2))
        .setAssignments(1, ReplicaAssignment.newBuilder().setPartition(1).addBrokerIds(1)
            .addBrokerIds(9)).build();
    assertThat(createError(unknownBroker)).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
    assertThat(createError(manual.toBuilder().setName("both").setNumPartitions(2).build()))
        .isEqualTo(Errors.INVALID_REQUEST);
  }

  @Test
  void deleteByNameOrIdRemovesTopicPartitionsAndConfigs() {
    create(withConfigs(topic("a", 2, 1, id1), Map.of("retention.ms", "5")));
    create(topic("b", 1, 1, id2));
    var byName = c.run(deleteByName("a", "nope")).getDeleteTopics();
    assertThat(byName.getTopics(0).getErrorCode()).isEqualTo(Errors.NONE.code);
    assertThat(Uuids.fromProto(byName.getTopics(0).getTopicId())).isEqualTo(id1);
    assertThat(byName.getTopics(1).getErrorCode())
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    assertThat(c.image.topic("a")).isEmpty();
    assertThat(c.image.topic(id1)).isEmpty();
    assertThat(c.image.configs(ConfigResource.topic("a"))).isEmpty();
    assertThat(c.run(deleteById(id2)).getDeleteTopics().getTopics(0).getName()).isEqualTo("b");
    assertThat(c.run(deleteById(id2)).getDeleteTopics().getTopics(0).getErrorCode())
        .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code);
    // Recreated: a new id, no old configs.
    create(topic("a", 1, 1, new UUID(33, 3)));
    assertThat(c.image.topic("a").orElseThrow().id()).isNotEqualTo(id1);
    assertThat(c.image.configs(ConfigResource.topic("a"))).isEmpty();
  }

  @Test
  void createPartitionsOnlyIncreases() {
    create(topic("grow", 2, 2, id1));
    TopicImage before = c.image.topic("grow").orElseThrow();
    var ok = c.run(createPartitions("grow", 5)).getCreatePartitions().getTopics(0);
    assertThat(ok.getErrorCode()).isEqualTo(Errors.NONE.code);
    TopicImage after = c.image.topic("grow").orElseThrow();
    assertThat(after.numPartitions()).isEqualTo(5);
    assertThat(after.partitions().subList(0, 2)).isEqualTo(before.partitions());
    assertThat(after.partitions()).allMatch(p -> p.replicas().size() == 2);
    assertThat(c.run(createPartitions("grow", 5)).getCreatePartitions().getTopics(0)
        .getErrorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code);
    assertThat(c.run(createPartitions("grow", 3)).getCreatePartitions().getTopics(0)
        .getErrorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code);
    assertThat(c.run(createPartitions("none", 3)).getCreatePartitions().getTopics(0)
        .getErrorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
  }
}
