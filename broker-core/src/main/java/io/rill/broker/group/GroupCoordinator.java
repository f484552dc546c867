package io.rill.broker.group;

import io.rill.broker.group.CoordinatorRecord.GroupMetadata;
import io.rill.broker.group.CoordinatorRecord.GroupTombstone;
import io.rill.broker.group.CoordinatorRecord.MemberRecord;
import io.rill.broker.group.CoordinatorRecord.OffsetCommit;
import io.rill.broker.group.CoordinatorRecord.OffsetTombstone;
import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.LeaveResult;
import io.rill.broker.group.GroupResults.SyncResult;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The coordinator of the groups whose id hashes to one {@code __consumer_offsets} partition:
 * their membership (through {@link Rebalancer}), committed offsets, and the admin operations
 * on them. Every change is appended to the partition through the {@link CoordinatorStore}
 * before it is applied to memory; {@link #replay} applies the same records when the partition
 * is loaded, so loading rebuilds exactly what was acknowledged.
 *
 * <p>Threads: every public method is synchronized on this object, which is also the lock the
 * timer tasks of its groups take. Request handler threads, the timer thread and the loader
 * thread all call in; none blocks under the lock except on the store's append.
 */
public final class GroupCoordinator {
  private final int partition;
  private final Time time;
  private final GroupConfig config;
  private final CoordinatorStore store;
  private final Rebalancer rebalancer;
  private final Map<String, ClassicGroup> groups = new HashMap<>();
  private final OffsetOps offsetOps;

  public GroupCoordinator(int partition, Time time, GroupTimer timer, GroupConfig config,
      CoordinatorStore store, Random random) {
    this.partition = partition;
    this.time = time;
    this.config = config;
    this.store = store;
    this.rebalancer = new Rebalancer(this, time, timer, config, store, random,
        this::dropIfUnused);
    this.offsetOps = new OffsetOps(time, config, store);
  }

  public int partition() {
    return partition;
  }

  // ---- membership ---------------------------------------------------------------------------

  synchronized void joinGroup(JoinRequest r, Consumer<JoinResult> cb) {
    if (r.groupId().isEmpty()) {
      cb.accept(JoinResult.error(Errors.INVALID_GROUP_ID, r.memberId()));
      return;
    }
    if (r.sessionTimeoutMs() < config.sessionTimeoutMinMs()
        || r.sessionTimeoutMs() > config.sessionTimeoutMaxMs()) {
      cb.accept(JoinResult.error(Errors.INVALID_SESSION_TIMEOUT, r.memberId()));
      return;
    }
    ClassicGroup g = groups.get(r.groupId());
    if (g == null) {
      if (!r.memberId().isEmpty()) {
        cb.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
        return;
      }
      g = new ClassicGroup(r.groupId(), time.milliseconds());
      groups.put(r.groupId(), g);
    }
    rebalancer.join(g, r, cb);
    dropIfUnused(g);
  }

  synchronized void syncGroup(String groupId, String memberId, String instanceId,
      int generation, String protocolType, String protocolName, Map<String, byte[]> assignments,
      Consumer<SyncResult> cb) {
    ClassicGroup g = groups.get(groupId);
    if (g == null) {
      cb.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
      return;
    }
    rebalancer.sync(g, memberId, instanceId, generation, protocolType, protocolName,
        assignments, cb);
  }

  synchronized Errors heartbeat(String groupId, String memberId, String instanceId,
      int generation) {
    ClassicGroup g = groups.get(groupId);
    return g == null ? Errors.UNKNOWN_MEMBER_ID
        : rebalancer.heartbeat(g, memberId, instanceId, generation);
  }

  /** Members leaving, each (member id, instance id); the group error is NONE or why all fail. */
  synchronized List<LeaveResult> leaveGroup(String groupId, List<LeaveResult> leaving) {
    ClassicGroup g = groups.get(groupId);
    List<LeaveResult> results = new ArrayList<>();
    for (LeaveResult who : leaving) {
      Errors error = g == null ? Errors.UNKNOWN_MEMBER_ID
          : g.is(GroupState.DEAD) ? Errors.COORDINATOR_NOT_AVAILABLE
          : rebalancer.leave(g, who.memberId(), who.groupInstanceId());
      results.add(new LeaveResult(who.memberId(), who.groupInstanceId(), error));
    }
    return results;
  }

  // ---- offsets ------------------------------------------------------------------------------

  /** A commit's partitions and their result; {@code offsets} are as the client sent them. */
  synchronized Map<TopicPartition, Errors> commitOffsets(String groupId, String memberId,
      String instanceId, int generation, Map<TopicPartition, OffsetAndMetadata> offsets) {
    ClassicGroup g = groups.get(groupId);
    Errors error;
    if (g == null) {
      if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
        error = Errors.ILLEGAL_GENERATION;
      } else {
        g = new ClassicGroup(groupId, time.milliseconds()); // a simple (admin) group
        error = Errors.NONE;
      }
    } else if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
      error = rebalancer.validateMember(g, memberId, instanceId, generation);
    } else {
      error = g.is(GroupState.DEAD) ? Errors.COORDINATOR_NOT_AVAILABLE
          : g.is(GroupState.EMPTY) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }
    if (error == Errors.NONE && g.is(GroupState.COMPLETING_REBALANCE)) {
      error = Errors.REBALANCE_IN_PROGRESS;
    }
    if (error != Errors.NONE) {
      Map<TopicPartition, Errors> all = new LinkedHashMap<>();
      for (TopicPartition tp : offsets.keySet()) {
        all.put(tp, error);
      }
      return all;
    }
    Map<TopicPartition, Errors> results = offsetOps.commit(g, offsets);
    groups.putIfAbsent(groupId, g);
    Member m = g.members.get(memberId);
    if (m != null) {
      rebalancer.scheduleSession(g, m); // a commit is as good as a heartbeat
    }
    dropIfUnused(g);
    return results;
  }

  /**
   * The committed offsets of {@code partitions} (all the group has when null); a partition
   * without one is absent from the map.
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> fetchOffsets(String groupId,
      List<TopicPartition> partitions) {
    ClassicGroup g = groups.get(groupId);
    if (g == null) {
      return Map.of();
    }
    if (partitions == null) {
      return new HashMap<>(g.offsets);
    }
    Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata o = g.offsets.get(tp);
      if (o != null) {
        found.put(tp, o);
      }
    }
    return found;
  }

  /** OffsetDelete: the group error, and per partition the result when the group error is NONE. */
  synchronized OffsetOps.DeleteResult deleteOffsets(String groupId,
      List<TopicPartition> partitions) {
    ClassicGroup g = groups.get(groupId);
    if (g == null || g.is(GroupState.DEAD)) {
      return new OffsetOps.DeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of());
    }
    OffsetOps.DeleteResult result = offsetOps.delete(g, partitions);
    dropIfUnused(g);
    return result;
  }

  /** Removes offsets past retention; called periodically. Returns how many expired. */
  public synchronized int expireOffsets() {
    int expired = 0;
    for (ClassicGroup g : List.copyOf(groups.values())) {
      expired += offsetOps.expire(g);
      if (g.is(GroupState.EMPTY) && g.offsets.isEmpty() && g.members.isEmpty()
          && g.pendingMembers.isEmpty()) {
        if (store.append(List.of(new GroupTombstone(g.groupId))) == Errors.NONE) {
          g.transitionTo(GroupState.DEAD, time.milliseconds());
          groups.remove(g.groupId);
        }
      }
    }
    return expired;
  }

  // ---- admin --------------------------------------------------------------------------------

  /** One group as DescribeGroups shows it; a group we do not know is Dead with no members. */
  public record Description(String groupId, GroupState state, String protocolType,
      String protocolData, List<MemberDescription> members) {}

  public record MemberDescription(String memberId, String groupInstanceId, String clientId,
      String clientHost, byte[] metadata, byte[] assignment) {}

  /** Member metadata and assignments are shown for a Stable group only, as Kafka does. */
  public synchronized Description describe(String groupId) {
    ClassicGroup g = groups.get(groupId);
    if (g == null) {
      return new Description(groupId, GroupState.DEAD, "", "", List.of());
    }
    boolean stable = g.is(GroupState.STABLE);
    List<MemberDescription> members = new ArrayList<>();
    for (Member m : g.members.values()) {
      byte[] metadata = stable ? m.metadata(g.protocolName) : null;
      members.add(new MemberDescription(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
          metadata == null ? new byte[0] : metadata, stable ? m.assignment : new byte[0]));
    }
    return new Description(groupId, g.state, g.protocolType == null ? "" : g.protocolType,
        stable ? g.protocolName : "", members);
  }

  public record Listing(String groupId, String protocolType, GroupState state) {}

  /** The groups in one of {@code states} (every group when empty). */
  public synchronized List<Listing> list(Set<GroupState> states) {
    List<Listing> out = new ArrayList<>();
    for (ClassicGroup g : groups.values()) {
      if (states.isEmpty() || states.contains(g.state)) {
        out.add(new Listing(g.groupId, g.protocolType == null ? "" : g.protocolType, g.state));
      }
    }
    return out;
  }

  /** DeleteGroups for one group: only an Empty group goes, with all its offsets. */
  public synchronized Errors deleteGroup(String groupId) {
    ClassicGroup g = groups.get(groupId);
    if (g == null || g.is(GroupState.DEAD)) {
      return Errors.GROUP_ID_NOT_FOUND;
    }
    if (!g.is(GroupState.EMPTY)) {
      return Errors.NON_EMPTY_GROUP;
    }
    List<CoordinatorRecord> records = new ArrayList<>();
    g.offsets.keySet().forEach(tp -> records.add(new OffsetTombstone(groupId, tp)));
    records.add(new GroupTombstone(groupId));
    Errors stored = store.append(records);
    if (stored != Errors.NONE) {
      return Rebalancer.storeErrorForClient(stored);
    }
    g.cancelTimers();
    g.pendingMembers.values().forEach(GroupTimer.Timeout::cancel);
    g.transitionTo(GroupState.DEAD, time.milliseconds());
    groups.remove(groupId);
    return Errors.NONE;
  }

  /** A group with nothing in it and nothing stored need not be kept (a failed first join). */
  private void dropIfUnused(ClassicGroup g) {
    if (g.is(GroupState.EMPTY) && g.members.isEmpty() && g.pendingMembers.isEmpty()
        && g.offsets.isEmpty() && g.generationId == 0) {
      groups.remove(g.groupId);
    }
  }

  // ---- loading ------------------------------------------------------------------------------

  /**
   * Applies one record read back from the partition, in log order. Only the loader calls
   * this, before {@link #completeLoad} and before any request reaches this coordinator.
   */
  synchronized void replay(CoordinatorRecord record) {
    if (record instanceof OffsetCommit c) {
      groups.computeIfAbsent(c.groupId(), id -> new ClassicGroup(id, c.offset()
          .commitTimestampMs())).offsets.put(c.partition(), c.offset());
    } else if (record instanceof OffsetTombstone t) {
      ClassicGroup g = groups.get(t.groupId());
      if (g != null) {
        g.offsets.remove(t.partition());
      }
    } else if (record instanceof GroupMetadata m) {
      replayGroup(m);
    } else if (record instanceof GroupTombstone t) {
      groups.remove(t.groupId());
    }
  }

  private void replayGroup(GroupMetadata record) {
    ClassicGroup g = groups.computeIfAbsent(record.groupId(),
        id -> new ClassicGroup(id, record.currentStateTimestampMs()));
    g.members.clear();
    g.staticMembers.clear();
    g.protocolType = record.protocolType().isEmpty() ? null : record.protocolType();
    g.generationId = record.generationId();
    g.protocolName = record.protocolName();
    g.leaderId = null;
    for (MemberRecord mr : record.members()) {
      List<Member.Protocol> protocols = record.protocolName() == null ? List.of()
          : List.of(new Member.Protocol(record.protocolName(), mr.subscription()));
      Member m = new Member(mr.memberId(), mr.groupInstanceId(), mr.clientId(), mr.clientHost(),
          mr.rebalanceTimeoutMs(), mr.sessionTimeoutMs(), protocols);
      m.assignment = mr.assignment();
      g.add(m);
    }
    if (record.leaderId() != null && g.has(record.leaderId())) {
      g.leaderId = record.leaderId();
    }
    // Stored at the end of a rebalance (members, Stable) or on becoming Empty.
    g.state = g.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
    g.stateTimestampMs = record.currentStateTimestampMs();
  }

  /** Loading is over: members loaded with a group must now heartbeat within their session. */
  synchronized void completeLoad() {
    for (ClassicGroup g : groups.values()) {
      for (Member m : g.members.values()) {
        rebalancer.scheduleSession(g, m);
      }
    }
  }

  /** This node no longer coordinates the partition: drop every group, answer what waits. */
  synchronized void unload() {
    for (ClassicGroup g : groups.values()) {
      g.cancelTimers();
      g.pendingMembers.values().forEach(GroupTimer.Timeout::cancel);
      for (Member m : g.members.values()) {
        m.cancelSessionTimeout();
        if (m.awaitingJoin != null) {
          m.awaitingJoin.accept(JoinResult.error(Errors.NOT_COORDINATOR, m.memberId));
          m.awaitingJoin = null;
        }
        if (m.awaitingSync != null) {
          m.awaitingSync.accept(SyncResult.error(Errors.NOT_COORDINATOR));
          m.awaitingSync = null;
        }
      }
      g.state = GroupState.DEAD;
    }
    groups.clear();
  }

  synchronized int groupCount() {
    return groups.size();
  }

  synchronized Optional<GroupState> state(String groupId) {
    return Optional.ofNullable(groups.get(groupId)).map(g -> g.state);
  }
}
