package io.rill.broker.group;

import io.rill.broker.group.CoordinatorRecord.GroupMetadata;
import io.rill.broker.group.CoordinatorRecord.MemberRecord;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.util.Checks;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One classic group's state: its place in the state machine, generation, chosen protocol,
 * leader, members (dynamic and static), members still to confirm their id (KIP-394), and its
 * committed offsets.
 *
 * <p>Invariants: {@code leaderId} is a member's id or null (only when there are no members);
 * {@code protocolName} is non-null exactly in CompletingRebalance and Stable (and in a loaded
 * Stable group); {@code staticMembers} maps every static member's instance id to its current
 * member id and nothing else; the generation only grows. Owned by its {@link GroupCoordinator}:
 * every access holds the coordinator's lock.
 */
final class ClassicGroup {
  /** The protocol type of the Java consumer, whose subscriptions we can read. */
  static final String CONSUMER_PROTOCOL_TYPE = "consumer";

  final String groupId;
  GroupState state = GroupState.EMPTY;
  /** When the group entered its current state; drives offset expiration of empty groups. */
  long stateTimestampMs;
  int generationId;
  String protocolType;
  String protocolName;
  String leaderId;
  final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
  final Map<String, String> staticMembers = new HashMap<>();
  /** Members sent MEMBER_ID_REQUIRED that have not joined with their id yet, with deadlines. */
  final Map<String, GroupTimer.Timeout> pendingMembers = new HashMap<>();
  final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

  /** Bumped at each PreparingRebalance so stale join timers recognise themselves. */
  int rebalanceAttempt;
  GroupTimer.Timeout joinTimeout;
  GroupTimer.Timeout syncTimeout;
  /** Within group.initial.rebalance.delay.ms of the first join: the join does not end early. */
  boolean inInitialDelay;
  boolean newMemberAdded;
  int initialDelayRemainingMs;

  ClassicGroup(String groupId, long nowMs) {
    this.groupId = groupId;
    this.stateTimestampMs = nowMs;
  }

  void transitionTo(GroupState target, long nowMs) {
    Checks.state(isValidTransition(state, target), "group %s: illegal transition %s -> %s",
        groupId, state, target);
    state = target;
    stateTimestampMs = nowMs;
  }

  private static boolean isValidTransition(GroupState from, GroupState to) {
    switch (to) {
      case EMPTY: return from == GroupState.PREPARING_REBALANCE || from == GroupState.EMPTY;
      case PREPARING_REBALANCE:
        return from == GroupState.STABLE || from == GroupState.COMPLETING_REBALANCE
            || from == GroupState.EMPTY;
      case COMPLETING_REBALANCE: return from == GroupState.PREPARING_REBALANCE;
      case STABLE:
        return from == GroupState.COMPLETING_REBALANCE || from == GroupState.EMPTY;
      default: return true; // DEAD
    }
  }

  boolean is(GroupState s) {
    return state == s;
  }

  boolean has(String memberId) {
    return members.containsKey(memberId);
  }

  boolean isLeader(String memberId) {
    return memberId.equals(leaderId);
  }

  void add(Member m) {
    members.put(m.memberId, m);
    if (m.isStatic()) {
      staticMembers.put(m.groupInstanceId, m.memberId);
    }
    if (leaderId == null) {
      leaderId = m.memberId;
    }
  }

  void remove(String memberId) {
    Member m = members.remove(memberId);
    if (m == null) {
      return;
    }
    m.cancelSessionTimeout();
    if (m.isStatic() && memberId.equals(staticMembers.get(m.groupInstanceId))) {
      staticMembers.remove(m.groupInstanceId);
    }
    if (isLeader(memberId)) {
      leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
    }
  }

  /** Puts {@code replacement} in the place of {@code oldId} (a static member rejoining). */
  void replace(String oldId, Member replacement) {
    LinkedHashMap<String, Member> copy = new LinkedHashMap<>(members);
    members.clear();
    copy.forEach((id, m) -> members.put(id.equals(oldId) ? replacement.memberId : id,
        id.equals(oldId) ? replacement : m));
    staticMembers.put(replacement.groupInstanceId, replacement.memberId);
    if (oldId.equals(leaderId)) {
      leaderId = replacement.memberId;
    }
  }

  /** A static member calling with a member id other than the instance's current one. */
  boolean isStaticMemberFenced(String memberId, String groupInstanceId) {
    if (groupInstanceId == null) {
      return false;
    }
    String current = staticMembers.get(groupInstanceId);
    return current != null && !current.equals(memberId);
  }

  boolean allMembersJoined() {
    return pendingMembers.isEmpty()
        && members.values().stream().allMatch(m -> m.awaitingJoin != null);
  }

  int maxRebalanceTimeoutMs() {
    return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
  }

  /** Whether a member of {@code type} supporting {@code protocols} may join this group. */
  boolean supportsProtocols(String type, List<Member.Protocol> protocols) {
    if (type == null || type.isEmpty() || protocols.isEmpty()) {
      return false;
    }
    if (members.isEmpty()) {
      return true;
    }
    if (!type.equals(protocolType)) {
      return false;
    }
    Set<String> candidates = candidateProtocols();
    return protocols.stream().anyMatch(p -> candidates.contains(p.name()));
  }

  /** The protocols every member supports. */
  Set<String> candidateProtocols() {
    Set<String> common = null;
    for (Member m : members.values()) {
      Set<String> names = new HashSet<>();
      m.protocols.forEach(p -> names.add(p.name()));
      if (common == null) {
        common = names;
      } else {
        common.retainAll(names);
      }
    }
    return common == null ? Set.of() : common;
  }

  /**
   * The protocol to run: each member votes for the first of its protocols all members support;
   * most votes wins, ties to the protocol voted first (members in join order).
   */
  String selectProtocol() {
    Set<String> candidates = candidateProtocols();
    Checks.state(!candidates.isEmpty(), "group %s has no protocol all members support",
        groupId);
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (Member m : members.values()) {
      m.protocols.stream().map(Member.Protocol::name).filter(candidates::contains).findFirst()
          .ifPresent(p -> votes.merge(p, 1, Integer::sum));
    }
    return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** The group as stored after a rebalance (or on becoming Empty). */
  GroupMetadata toRecord() {
    List<MemberRecord> list = new ArrayList<>();
    for (Member m : members.values()) {
      byte[] metadata = protocolName == null ? new byte[0] : m.metadata(protocolName);
      list.add(new MemberRecord(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
          m.rebalanceTimeoutMs, m.sessionTimeoutMs, metadata == null ? new byte[0] : metadata,
          m.assignment));
    }
    return new GroupMetadata(groupId, protocolType == null ? "" : protocolType, generationId,
        protocolName, leaderId, stateTimestampMs, list);
  }

  /**
   * The topics the members subscribe to, when this is a consumer group whose subscriptions
   * parse (ConsumerProtocolSubscription: version int16, topics [string], ...); empty otherwise.
   */
  Optional<Set<String>> subscribedTopics() {
    if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType) || protocolName == null) {
      return Optional.empty();
    }
    Set<String> topics = new HashSet<>();
    for (Member m : members.values()) {
      byte[] metadata = m.metadata(protocolName);
      if (metadata == null) {
        return Optional.empty();
      }
      try {
        ByteBuffer in = ByteBuffer.wrap(metadata);
        in.getShort();
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
          byte[] name = new byte[in.getShort()];
          in.get(name);
          topics.add(new String(name, StandardCharsets.UTF_8));
        }
      } catch (BufferUnderflowException | NegativeArraySizeException e) {
        return Optional.empty();
      }
    }
    return Optional.of(topics);
  }

  void cancelTimers() {
    if (joinTimeout != null) {
      joinTimeout.cancel();
      joinTimeout = null;
    }
    if (syncTimeout != null) {
      syncTimeout.cancel();
      syncTimeout = null;
    }
  }
}
