package io.rill.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.LeaveResult;
import io.rill.broker.group.GroupResults.SyncResult;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/** One coordinator with a manual clock and an in-memory store, and short-hands to drive it. */
final class GroupHarness {
  static final String GROUP = "g";
  static final int SESSION_MS = 10_000;
  static final int REBALANCE_MS = 30_000;
  static final String TYPE = "consumer";

  final ManualClock clock = new ManualClock(1_000_000L);
  final MemoryStore store = new MemoryStore();
  final GroupConfig config;
  final GroupCoordinator coordinator;

  GroupHarness(int initialDelayMs) {
    this(new GroupConfig(1_000, 60_000, initialDelayMs, 3_600_000L, 4096, 5_000));
  }

  GroupHarness(GroupConfig config) {
    this.config = config;
    long seed = new Random().nextLong();
    System.out.println("GroupHarness seed " + seed);
    this.coordinator = new GroupCoordinator(0, clock, clock, config, store, new Random(seed));
  }

  /** "range" with a ConsumerProtocolSubscription v0 of one topic, as the Java consumer sends. */
  static List<Member.Protocol> protocols(String topic) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 2 + name.length + 4);
    b.putShort((short) 0).putInt(1).putShort((short) name.length).put(name).putInt(-1);
    return List.of(new Member.Protocol("range", b.array()));
  }

  AtomicReference<JoinResult> join(String memberId, String instanceId) {
    return join(memberId, instanceId, protocols("t"), true);
  }

  AtomicReference<JoinResult> join(String memberId, String instanceId,
      List<Member.Protocol> protocols, boolean requireKnownMemberId) {
    AtomicReference<JoinResult> result = new AtomicReference<>();
    coordinator.joinGroup(new JoinRequest(GROUP, memberId, instanceId, "client", "/127.0.0.1",
        SESSION_MS, REBALANCE_MS, TYPE, protocols, requireKnownMemberId), result::set);
    return result;
  }

  /** A new dynamic member through MEMBER_ID_REQUIRED; returns its pending second join. */
  AtomicReference<JoinResult> joinNew() {
    JoinResult first = join("", null).get();
    assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    return join(first.memberId(), null);
  }

  AtomicReference<SyncResult> sync(String memberId, int generation,
      Map<String, byte[]> assignments) {
    AtomicReference<SyncResult> result = new AtomicReference<>();
    coordinator.syncGroup(GROUP, memberId, null, generation, TYPE, "range", assignments,
        result::set);
    return result;
  }

  Errors heartbeat(String memberId, int generation) {
    return coordinator.heartbeat(GROUP, memberId, null, generation);
  }

  Errors leave(String memberId) {
    return coordinator.leaveGroup(GROUP, List.of(new LeaveResult(memberId, null, Errors.NONE)))
        .get(0).error();
  }

  Map<TopicPartition, Errors> commit(String memberId, int generation, long offset) {
    return coordinator.commitOffsets(GROUP, memberId, null, generation,
        Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(offset, 3, "meta", -1L)));
  }

  GroupState state() {
    return coordinator.state(GROUP).orElse(GroupState.DEAD);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
