package io.rill.broker.group;

import static io.rill.broker.group.GroupHarness.GROUP;
import static io.rill.broker.group.GroupHarness.SESSION_MS;
import static io.rill.broker.group.GroupHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.group.CoordinatorRecord.OffsetTombstone;
import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Committed offsets, expiration, deletion, and rebuilding a coordinator from its records. */
class OffsetsAndLoadingTest {
  private static final TopicPartition T0 = new TopicPartition("t", 0);

  private static JoinResult stableSingleMember(GroupHarness h) {
    JoinResult a = h.joinNew().get();
    h.sync(a.memberId(), a.generationId(), Map.of(a.memberId(), bytes("A")));
    assertThat(h.state()).isEqualTo(GroupState.STABLE);
    return a;
  }

  @Test
  void membersCommitAtTheirGenerationAndTheOffsetIsFetchedBackWithEpochAndMetadata() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = stableSingleMember(h);
    assertThat(h.commit(a.memberId(), 1, 42)).containsEntry(T0, Errors.NONE);
    OffsetAndMetadata o = h.coordinator.fetchOffsets(GROUP, List.of(T0)).get(T0);
    assertThat(o.offset()).isEqualTo(42);
    assertThat(o.leaderEpoch()).isEqualTo(3);
    assertThat(o.metadata()).isEqualTo("meta");
    assertThat(h.commit(a.memberId(), 0, 50)).containsEntry(T0, Errors.ILLEGAL_GENERATION);
    assertThat(h.commit("ghost", 1, 50)).containsEntry(T0, Errors.UNKNOWN_MEMBER_ID);
    assertThat(h.commit("", -1, 50)).containsEntry(T0, Errors.UNKNOWN_MEMBER_ID);
    assertThat(h.coordinator.fetchOffsets(GROUP, List.of(T0)).get(T0).offset()).isEqualTo(42);
    assertThat(h.coordinator.fetchOffsets("other", List.of(T0))).isEmpty();
  }

  @Test
  void commitsDuringCompletingRebalanceAreRefused() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = h.joinNew().get();
    assertThat(h.commit(a.memberId(), 1, 1)).containsEntry(T0, Errors.REBALANCE_IN_PROGRESS);
  }

  @Test
  void aCommitThatCannotBeStoredIsNotApplied() {
    GroupHarness h = new GroupHarness(0);
    h.store.failWith(Errors.NOT_LEADER_OR_FOLLOWER);
    assertThat(h.commit("", -1, 7)).containsEntry(T0, Errors.NOT_COORDINATOR);
    assertThat(h.coordinator.fetchOffsets(GROUP, null)).isEmpty();
  }

  @Test
  void adminCommitsToAnEmptyGroupAndMetadataTooLargeIsRefused() {
    GroupHarness h = new GroupHarness(0);
    assertThat(h.commit("", -1, 5)).containsEntry(T0, Errors.NONE);
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    String big = "x".repeat(h.config.offsetMetadataMaxBytes() + 1);
    assertThat(h.coordinator.commitOffsets(GROUP, "", null, -1,
        Map.of(T0, new OffsetAndMetadata(9, -1, big, -1)))).containsEntry(T0,
        Errors.OFFSET_METADATA_TOO_LARGE);
    assertThat(h.coordinator.fetchOffsets(GROUP, null).get(T0).offset()).isEqualTo(5);
  }

  @Test
  void anEmptyGroupsOffsetsExpireAfterRetentionAndTheGroupDies() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = stableSingleMember(h);
    h.commit(a.memberId(), 1, 10);
    // The member stops heartbeating: its session ends and the group becomes Empty then.
    h.clock.advance(h.config.offsetsRetentionMs() / 2);
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    assertThat(h.coordinator.expireOffsets()).isZero();
    h.clock.advance(h.config.offsetsRetentionMs() / 2 + SESSION_MS);
    assertThat(h.coordinator.expireOffsets()).isEqualTo(1);
    assertThat(h.state()).isEqualTo(GroupState.DEAD);
    assertThat(h.store.records).anyMatch(r -> r instanceof OffsetTombstone);
    assertThat(h.store.records.get(h.store.records.size() - 1))
        .isInstanceOf(CoordinatorRecord.GroupTombstone.class);
  }

  @Test
  void onlyEmptyGroupsCanBeDeleted() {
    GroupHarness h = new GroupHarness(0);
    assertThat(h.coordinator.deleteGroup(GROUP)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    JoinResult a = stableSingleMember(h);
    h.commit(a.memberId(), 1, 10);
    assertThat(h.coordinator.deleteGroup(GROUP)).isEqualTo(Errors.NON_EMPTY_GROUP);
    assertThat(h.coordinator.deleteOffsets(GROUP, List.of(T0)).partitions())
        .containsEntry(T0, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
    h.leave(a.memberId());
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    assertThat(h.coordinator.deleteGroup(GROUP)).isEqualTo(Errors.NONE);
    assertThat(h.coordinator.fetchOffsets(GROUP, null)).isEmpty();
    assertThat(h.coordinator.list(java.util.Set.of())).isEmpty();
  }

  @Test
  void aReloadedCoordinatorHasTheOffsetsAndTheStableGroupItStored() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = stableSingleMember(h);
    h.commit(a.memberId(), 1, 77);
    h.coordinator.commitOffsets("other", "", null, -1,
        Map.of(T0, new OffsetAndMetadata(5, -1, "", -1)));
    h.coordinator.deleteOffsets("other", List.of(T0));

    GroupCoordinator reloaded = new GroupCoordinator(0, h.clock, h.clock, h.config, h.store,
        new Random(1));
    h.store.replayInto(reloaded);
    assertThat(reloaded.fetchOffsets(GROUP, null).get(T0).offset()).isEqualTo(77);
    assertThat(reloaded.fetchOffsets("other", null)).isEmpty();
    assertThat(reloaded.state(GROUP)).contains(GroupState.STABLE);
    GroupCoordinator.Description d = reloaded.describe(GROUP);
    assertThat(d.members()).singleElement().satisfies(m -> {
      assertThat(m.memberId()).isEqualTo(a.memberId());
      assertThat(m.assignment()).isEqualTo(bytes("A"));
    });
    assertThat(reloaded.heartbeat(GROUP, a.memberId(), null, 1)).isEqualTo(Errors.NONE);
    // Members that do not come back after the load are removed after their session.
    h.clock.advance(SESSION_MS + 1);
    assertThat(reloaded.state(GROUP)).contains(GroupState.EMPTY);
  }

  @Test
  void everyRecordKindSurvivesTheBatchFormat() {
    long seed = new Random().nextLong();
    System.out.println("everyRecordKindSurvivesTheBatchFormat seed " + seed);
    Random random = new Random(seed);
    List<CoordinatorRecord> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String group = "g" + random.nextInt(10);
      TopicPartition tp = new TopicPartition("topic-" + random.nextInt(5), random.nextInt(8));
      switch (random.nextInt(4)) {
        case 0 -> records.add(new CoordinatorRecord.OffsetCommit(group, tp,
            new OffsetAndMetadata(random.nextLong() & Long.MAX_VALUE, random.nextInt(100) - 1,
                "m" + random.nextInt(), random.nextLong())));
        case 1 -> records.add(new OffsetTombstone(group, tp));
        case 2 -> records.add(new CoordinatorRecord.GroupTombstone(group));
        default -> records.add(new CoordinatorRecord.GroupMetadata(group, "consumer",
            random.nextInt(1000), random.nextBoolean() ? "range" : null,
            random.nextBoolean() ? "leader" : null, random.nextLong(),
            List.of(new CoordinatorRecord.MemberRecord("m1", random.nextBoolean() ? "i1" : null,
                "c", "/h", 3, 4, bytes("sub"), bytes("asg")))));
      }
    }
    List<CoordinatorRecord> back = new ArrayList<>();
    CoordinatorBatches.forEachRecord(CoordinatorBatches.build(records, 5L), back::add);
    assertThat(back).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      CoordinatorRecord r = records.get(i);
      if (r instanceof CoordinatorRecord.GroupMetadata g) {
        CoordinatorRecord.GroupMetadata b = (CoordinatorRecord.GroupMetadata) back.get(i);
        assertThat(b).usingRecursiveComparison().ignoringFields("members").isEqualTo(g);
        assertThat(b.members().get(0)).usingRecursiveComparison().isEqualTo(g.members().get(0));
      } else {
        assertThat(back.get(i)).isEqualTo(r);
      }
    }
  }
}
