package io.rill.broker.group;

import static io.rill.broker.group.GroupHarness.REBALANCE_MS;
import static io.rill.broker.group.GroupHarness.SESSION_MS;
import static io.rill.broker.group.GroupHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.SyncResult;
import io.rill.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The classic group state machine driven with injected time: no threads, no sockets. */
class GroupStateMachineTest {

  /** Two members through a full rebalance to Stable; returns {leaderId, followerId, gen}. */
  private static Object[] stableGroupOfTwo(GroupHarness h) {
    AtomicReference<JoinResult> a = h.joinNew();
    JoinResult ja = a.get();
    assertThat(ja.error()).isEqualTo(Errors.NONE);
    h.sync(ja.memberId(), ja.generationId(), Map.of(ja.memberId(), bytes("a0")));
    AtomicReference<JoinResult> b = h.joinNew();
    assertThat(b.get()).isNull(); // waits for the leader to rejoin
    AtomicReference<JoinResult> a2 = h.join(ja.memberId(), null);
    JoinResult leader = a2.get();
    JoinResult follower = b.get();
    assertThat(leader.generationId()).isEqualTo(2).isEqualTo(follower.generationId());
    AtomicReference<SyncResult> fs = h.sync(follower.memberId(), 2, Map.of());
    AtomicReference<SyncResult> ls = h.sync(leader.memberId(), 2,
        Map.of(leader.memberId(), bytes("L"), follower.memberId(), bytes("F")));
    assertThat(fs.get().assignment()).isEqualTo(bytes("F"));
    assertThat(ls.get().assignment()).isEqualTo(bytes("L"));
    assertThat(h.state()).isEqualTo(GroupState.STABLE);
    return new Object[] {leader.memberId(), follower.memberId(), 2};
  }

  @Test
  void aNewMemberMustRejoinWithTheIdItWasGivenThenLeadsGenerationOne() {
    GroupHarness h = new GroupHarness(0);
    JoinResult first = h.join("", null).get();
    assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(first.memberId()).startsWith("client-");
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    JoinResult joined = h.join(first.memberId(), null).get();
    assertThat(joined.error()).isEqualTo(Errors.NONE);
    assertThat(joined.generationId()).isEqualTo(1);
    assertThat(joined.leaderId()).isEqualTo(first.memberId());
    assertThat(joined.protocolName()).isEqualTo("range");
    assertThat(joined.members()).hasSize(1);
    assertThat(h.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    SyncResult synced = h.sync(first.memberId(), 1, Map.of(first.memberId(), bytes("x"))).get();
    assertThat(synced.error()).isEqualTo(Errors.NONE);
    assertThat(synced.assignment()).isEqualTo(bytes("x"));
    assertThat(h.state()).isEqualTo(GroupState.STABLE);
  }

  @Test
  void olderClientsJoinAtOnceWithoutMemberIdRequired() {
    GroupHarness h = new GroupHarness(0);
    JoinResult joined = h.join("", null, GroupHarness.protocols("t"), false).get();
    assertThat(joined.error()).isEqualTo(Errors.NONE);
    assertThat(joined.generationId()).isEqualTo(1);
  }

  @Test
  void theInitialDelayWaitsForMembersStartingTogether() {
    GroupHarness h = new GroupHarness(3_000);
    AtomicReference<JoinResult> a = h.joinNew();
    h.clock.advance(2_000);
    AtomicReference<JoinResult> b = h.joinNew();
    assertThat(a.get()).isNull();
    h.clock.advance(1_000); // first delay over, but b arrived during it: wait one more delay
    assertThat(a.get()).isNull();
    h.clock.advance(3_000);
    assertThat(a.get().generationId()).isEqualTo(1);
    assertThat(b.get().generationId()).isEqualTo(1);
    assertThat(a.get().members().size() + b.get().members().size()).isEqualTo(2);
  }

  @Test
  void aJoiningMemberMakesTheOthersRebalanceThroughTheirHeartbeat() {
    GroupHarness h = new GroupHarness(0);
    Object[] g = stableGroupOfTwo(h);
    String leader = (String) g[0];
    String follower = (String) g[1];
    AtomicReference<JoinResult> c = h.joinNew();
    assertThat(h.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(h.heartbeat(leader, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    assertThat(h.sync(follower, 2, Map.of()).get().error())
        .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    AtomicReference<JoinResult> l = h.join(leader, null);
    assertThat(l.get()).isNull();
    AtomicReference<JoinResult> f = h.join(follower, null);
    assertThat(l.get().generationId()).isEqualTo(3);
    assertThat(l.get().members()).hasSize(3);
    assertThat(f.get().members()).isEmpty();
    assertThat(c.get().leaderId()).isEqualTo(leader);
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
    GroupHarness h = new GroupHarness(0);
    Object[] g = stableGroupOfTwo(h);
    String leader = (String) g[0];
    for (int i = 0; i < 2; i++) {
      h.clock.advance(SESSION_MS / 3);
      assertThat(h.heartbeat(leader, 2)).isEqualTo(Errors.NONE);
    }
    assertThat(h.state()).isEqualTo(GroupState.STABLE);
    h.clock.advance(SESSION_MS / 3 + 1);
    // The follower has been silent for its whole session: gone, and the group rebalances.
    assertThat(h.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(h.heartbeat(leader, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinResult rejoined = h.join(leader, null).get();
    assertThat(rejoined.generationId()).isEqualTo(3);
    assertThat(rejoined.members()).hasSize(1);
    assertThat(h.heartbeat((String) g[1], 3)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreDropped() {
    GroupHarness h = new GroupHarness(0);
    Object[] g = stableGroupOfTwo(h);
    h.joinNew();
    AtomicReference<JoinResult> l = h.join((String) g[0], null);
    for (int elapsed = 0; elapsed < REBALANCE_MS; elapsed += SESSION_MS / 2) {
      h.clock.advance(SESSION_MS / 2);
      h.heartbeat((String) g[1], 2); // alive, but never rejoins
    }
    assertThat(l.get().generationId()).isEqualTo(3);
    assertThat(l.get().members()).extracting(GroupResults.JoinedMember::memberId)
        .doesNotContain((String) g[1]);
  }

  @Test
  void leavingRebalancesTheRestAndTheLastToLeaveEmptiesTheGroup() {
    GroupHarness h = new GroupHarness(0);
    Object[] g = stableGroupOfTwo(h);
    assertThat(h.leave((String) g[1])).isEqualTo(Errors.NONE);
    assertThat(h.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    JoinResult alone = h.join((String) g[0], null).get();
    assertThat(alone.members()).hasSize(1);
    assertThat(h.leave((String) g[0])).isEqualTo(Errors.NONE);
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    assertThat(h.leave("nobody")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aStaticMemberRejoiningKeepsItsAssignmentWithoutARebalance() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = h.join("", "instance-a").get(); // static members skip MEMBER_ID_REQUIRED
    assertThat(a.error()).isEqualTo(Errors.NONE);
    h.sync(a.memberId(), 1, Map.of(a.memberId(), bytes("A")));
    AtomicReference<JoinResult> b = h.join("", "instance-b");
    h.join(a.memberId(), "instance-a");
    assertThat(b.get().generationId()).isEqualTo(2);
    h.sync(b.get().memberId(), 2, Map.of());
    h.sync(a.memberId(), 2, Map.of(a.memberId(), bytes("A2"), b.get().memberId(), bytes("B2")));
    assertThat(h.state()).isEqualTo(GroupState.STABLE);

    // b restarts: a new JoinGroup with no member id but the same instance id.
    JoinResult b2 = h.join("", "instance-b").get();
    assertThat(b2.error()).isEqualTo(Errors.NONE);
    assertThat(b2.generationId()).isEqualTo(2);
    assertThat(b2.memberId()).isNotEqualTo(b.get().memberId());
    assertThat(h.state()).isEqualTo(GroupState.STABLE);
    assertThat(h.sync(b2.memberId(), 2, Map.of()).get().assignment()).isEqualTo(bytes("B2"));
    assertThat(h.coordinator.heartbeat(GroupHarness.GROUP, b.get().memberId(), "instance-b", 2))
        .isEqualTo(Errors.FENCED_INSTANCE_ID);
    assertThat(h.heartbeat(a.memberId(), 2)).isEqualTo(Errors.NONE);
  }

  @Test
  void errorsClientsActOn() {
    GroupHarness h = new GroupHarness(0);
    AtomicReference<JoinResult> bad = new AtomicReference<>();
    h.coordinator.joinGroup(new JoinRequest("g", "", null, "c", "h", 10, 10, "consumer",
        GroupHarness.protocols("t"), true), bad::set);
    assertThat(bad.get().error()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
    assertThat(h.join("ghost", null).get().error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    Object[] g = stableGroupOfTwo(h);
    assertThat(h.heartbeat((String) g[0], 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(h.heartbeat("ghost", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    AtomicReference<JoinResult> other = new AtomicReference<>();
    h.coordinator.joinGroup(new JoinRequest("g", "", null, "c", "h", SESSION_MS, REBALANCE_MS,
        "connect", GroupHarness.protocols("t"), true), other::set);
    assertThat(other.get().error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    assertThat(h.join("", null, List.of(new Member.Protocol("roundrobin", new byte[0])), true)
        .get().error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    assertThat(h.sync((String) g[0], 7, Map.of()).get().error())
        .isEqualTo(Errors.ILLEGAL_GENERATION);
  }

  @Test
  void theLeaderNotSyncingInTimeStartsTheRebalanceOver() {
    GroupHarness h = new GroupHarness(0);
    JoinResult a = h.joinNew().get();
    assertThat(h.state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    h.clock.advance(REBALANCE_MS);
    // The only member never synced: dropped, and the group ends Empty.
    assertThat(h.state()).isEqualTo(GroupState.EMPTY);
    assertThat(h.heartbeat(a.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aPendingMemberThatNeverComesBackIsForgotten() {
    GroupHarness h = new GroupHarness(0);
    JoinResult first = h.join("", null).get();
    h.clock.advance(SESSION_MS + 1);
    assertThat(h.join(first.memberId(), null).get().error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }
}
