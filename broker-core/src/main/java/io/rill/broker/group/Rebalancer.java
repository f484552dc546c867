package io.rill.broker.group;

import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.JoinedMember;
import io.rill.broker.group.GroupResults.SyncResult;
import io.rill.broker.log.Time;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic rebalance protocol on one group: JoinGroup, SyncGroup, Heartbeat and LeaveGroup,
 * and the deadlines that move a group on when members go quiet (session timeout), do not
 * rejoin (rebalance timeout) or do not sync (rebalance timeout again). Kafka's
 * GroupCoordinator is the model; the states are in {@link GroupState}.
 *
 * <p>Every method runs with the owning {@link GroupCoordinator}'s lock held ({@code lock}); the
 * timer tasks it schedules take that lock first. Callbacks are answered under the lock
 * (answering only enqueues a response).
 */
final class Rebalancer {
  private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

  private final Object lock;
  private final Time time;
  private final GroupTimer timer;
  private final GroupConfig config;
  private final CoordinatorStore store;
  private final Random random;
  private final Consumer<ClassicGroup> onMaybeDead;

  Rebalancer(Object lock, Time time, GroupTimer timer, GroupConfig config, CoordinatorStore store,
      Random random, Consumer<ClassicGroup> onMaybeDead) {
    this.lock = lock;
    this.time = time;
    this.timer = timer;
    this.config = config;
    this.store = store;
    this.random = random;
    this.onMaybeDead = onMaybeDead;
  }

  // ---- JoinGroup ------------------------------------------------------------------------------

  void join(ClassicGroup g, JoinRequest r, Consumer<JoinResult> cb) {
    if (g.is(GroupState.DEAD)) {
      cb.accept(JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId()));
    } else if (!g.supportsProtocols(r.protocolType(), r.protocols())) {
      cb.accept(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId()));
    } else if (r.memberId().isEmpty()) {
      joinUnknown(g, r, cb);
    } else {
      joinKnown(g, r, cb);
    }
  }

  private void joinUnknown(ClassicGroup g, JoinRequest r, Consumer<JoinResult> cb) {
    String newId = r.clientId() + "-" + new UUID(random.nextLong(), random.nextLong());
    if (r.groupInstanceId() != null) {
      String oldId = g.staticMembers.get(r.groupInstanceId());
      if (oldId != null) {
        replaceStaticMember(g, g.members.get(oldId), newId, r, cb);
      } else {
        addMemberAndRebalance(g, newId, r, cb);
      }
    } else if (r.requireKnownMemberId()) {
      // KIP-394: the member must come back with this id, so a client that times out on its
      // first join does not leave an orphan member behind.
      g.pendingMembers.put(newId, timer.schedule("pending-member " + newId,
          r.sessionTimeoutMs(), () -> expirePendingMember(g, newId)));
      cb.accept(JoinResult.error(Errors.MEMBER_ID_REQUIRED, newId));
    } else {
      addMemberAndRebalance(g, newId, r, cb);
    }
  }

  private void joinKnown(ClassicGroup g, JoinRequest r, Consumer<JoinResult> cb) {
    GroupTimer.Timeout pending = g.pendingMembers.remove(r.memberId());
    if (pending != null) {
      pending.cancel();
      addMemberAndRebalance(g, r.memberId(), r, cb);
      return;
    }
    if (g.isStaticMemberFenced(r.memberId(), r.groupInstanceId())) {
      cb.accept(JoinResult.error(Errors.FENCED_INSTANCE_ID, r.memberId()));
      return;
    }
    Member m = g.members.get(r.memberId());
    if (m == null) {
      cb.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
      return;
    }
    switch (g.state) {
      case PREPARING_REBALANCE -> updateMemberAndRebalance(g, m, r, cb);
      case COMPLETING_REBALANCE -> {
        if (m.matches(r.protocols())) {
          cb.accept(currentGeneration(g, m, g.isLeader(m.memberId)));
        } else {
          updateMemberAndRebalance(g, m, r, cb);
        }
      }
      case STABLE -> {
        if (g.isLeader(m.memberId) || !m.matches(r.protocols())) {
          updateMemberAndRebalance(g, m, r, cb);
        } else {
          scheduleSession(g, m);
          cb.accept(currentGeneration(g, m, false));
        }
      }
      default -> cb.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
    }
  }

  /**
   * KIP-345: a static member rejoining under a new member id takes the old one's place. In a
   * Stable group with unchanged protocols it keeps its assignment and no rebalance happens; the
   * old id is fenced.
   */
  private void replaceStaticMember(ClassicGroup g, Member old, String newId, JoinRequest r,
      Consumer<JoinResult> cb) {
    Member m = new Member(newId, r.groupInstanceId(), r.clientId(), r.clientHost(),
        r.rebalanceTimeoutMs(), r.sessionTimeoutMs(), r.protocols());
    m.assignment = old.assignment;
    old.cancelSessionTimeout();
    if (old.awaitingJoin != null) {
      old.awaitingJoin.accept(JoinResult.error(Errors.FENCED_INSTANCE_ID, old.memberId));
      old.awaitingJoin = null;
    }
    if (old.awaitingSync != null) {
      old.awaitingSync.accept(SyncResult.error(Errors.FENCED_INSTANCE_ID));
      old.awaitingSync = null;
    }
    g.replace(old.memberId, m);
    // Kafka's rule: no rebalance unless the protocol the group would now choose changes.
    if (g.is(GroupState.STABLE) && g.selectProtocol().equals(g.protocolName)) {
      Errors stored = store.append(List.of(g.toRecord()));
      if (stored != Errors.NONE) {
        log.warn("Group {}: could not store the replacement of static member {}: {}",
            g.groupId, r.groupInstanceId(), stored);
      }
      scheduleSession(g, m);
      boolean leader = g.isLeader(newId);
      // KIP-814: a rejoining leader is told to skip the assignment it already made.
      JoinResult current = currentGeneration(g, m, leader);
      cb.accept(new JoinResult(current.error(), current.generationId(), current.protocolType(),
          current.protocolName(), current.leaderId(), newId, current.members(), leader));
      log.info("Group {}: static member {} rejoined as {} without a rebalance", g.groupId,
          r.groupInstanceId(), newId);
    } else {
      m.awaitingJoin = cb;
      scheduleSession(g, m);
      maybePrepareRebalance(g, "static member " + r.groupInstanceId() + " rejoined");
    }
  }

  private void addMemberAndRebalance(ClassicGroup g, String memberId, JoinRequest r,
      Consumer<JoinResult> cb) {
    if (g.members.isEmpty()) {
      g.protocolType = r.protocolType();
    }
    Member m = new Member(memberId, r.groupInstanceId(), r.clientId(), r.clientHost(),
        r.rebalanceTimeoutMs(), r.sessionTimeoutMs(), r.protocols());
    m.isNew = true;
    m.awaitingJoin = cb;
    g.add(m);
    scheduleSession(g, m);
    if (g.inInitialDelay) {
      g.newMemberAdded = true;
    }
    maybePrepareRebalance(g, "member " + memberId + " joined");
  }

  private void updateMemberAndRebalance(ClassicGroup g, Member m, JoinRequest r,
      Consumer<JoinResult> cb) {
    if (m.awaitingJoin != null) {
      // A retried join replaces the first; answer that one so its request does not hang.
      m.awaitingJoin.accept(JoinResult.error(Errors.REBALANCE_IN_PROGRESS, m.memberId));
    }
    m.protocols = List.copyOf(r.protocols());
    m.sessionTimeoutMs = r.sessionTimeoutMs();
    m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
    m.awaitingJoin = cb;
    scheduleSession(g, m);
    maybePrepareRebalance(g, "member " + m.memberId + " rejoined");
  }

  private JoinResult currentGeneration(ClassicGroup g, Member m, boolean withMembers) {
    List<JoinedMember> members = new ArrayList<>();
    if (withMembers) {
      for (Member each : g.members.values()) {
        members.add(new JoinedMember(each.memberId, each.groupInstanceId,
            each.metadata(g.protocolName)));
      }
    }
    return new JoinResult(Errors.NONE, g.generationId, g.protocolType, g.protocolName,
        g.leaderId, m.memberId, members, false);
  }

  // ---- the rebalance ------------------------------------------------------------------------

  void maybePrepareRebalance(ClassicGroup g, String reason) {
    switch (g.state) {
      case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(g, reason);
      case PREPARING_REBALANCE -> tryCompleteJoin(g);
      default -> { }
    }
  }

  private void prepareRebalance(ClassicGroup g, String reason) {
    if (g.is(GroupState.COMPLETING_REBALANCE)) {
      failPendingSyncs(g, Errors.REBALANCE_IN_PROGRESS);
    }
    boolean wasEmpty = g.is(GroupState.EMPTY);
    g.cancelTimers();
    g.transitionTo(GroupState.PREPARING_REBALANCE, time.milliseconds());
    int attempt = ++g.rebalanceAttempt;
    int rebalanceTimeoutMs = g.maxRebalanceTimeoutMs();
    log.info("Group {}: preparing rebalance (generation {}): {}", g.groupId, g.generationId,
        reason);
    if (wasEmpty && config.initialRebalanceDelayMs() > 0) {
      int delay = Math.min(config.initialRebalanceDelayMs(), rebalanceTimeoutMs);
      g.inInitialDelay = true;
      g.newMemberAdded = false;
      g.initialDelayRemainingMs = rebalanceTimeoutMs - delay;
      g.joinTimeout = timer.schedule("initial-delay " + g.groupId, delay,
          () -> onInitialDelay(g, attempt));
    } else {
      g.joinTimeout = timer.schedule("join " + g.groupId, rebalanceTimeoutMs,
          () -> onJoinTimeout(g, attempt));
      tryCompleteJoin(g);
    }
  }

  private void onInitialDelay(ClassicGroup g, int attempt) {
    synchronized (lock) {
      if (!g.is(GroupState.PREPARING_REBALANCE) || g.rebalanceAttempt != attempt) {
        return;
      }
      if (g.newMemberAdded && g.initialDelayRemainingMs > 0) {
        // More members are arriving: wait another delay, within the rebalance timeout.
        int delay = Math.min(config.initialRebalanceDelayMs(), g.initialDelayRemainingMs);
        g.initialDelayRemainingMs -= delay;
        g.newMemberAdded = false;
        g.joinTimeout = timer.schedule("initial-delay " + g.groupId, delay,
            () -> onInitialDelay(g, attempt));
        return;
      }
      g.inInitialDelay = false;
      completeJoin(g);
    }
  }

  private void onJoinTimeout(ClassicGroup g, int attempt) {
    synchronized (lock) {
      if (g.is(GroupState.PREPARING_REBALANCE) && g.rebalanceAttempt == attempt
          && !g.inInitialDelay) {
        completeJoin(g);
      }
    }
  }

  void tryCompleteJoin(ClassicGroup g) {
    if (g.is(GroupState.PREPARING_REBALANCE) && !g.inInitialDelay && g.allMembersJoined()) {
      completeJoin(g);
    }
  }

  /**
   * Ends the join phase: members that did not rejoin are dropped (static ones stay, their
   * session decides), the generation advances and every joined member is answered — the leader
   * with everyone's metadata for the chosen protocol.
   */
  private void completeJoin(ClassicGroup g) {
    g.cancelTimers();
    for (Member m : List.copyOf(g.members.values())) {
      if (m.awaitingJoin == null && !m.isStatic()) {
        g.remove(m.memberId);
      }
    }
    long now = time.milliseconds();
    g.generationId++;
    if (g.members.isEmpty()) {
      g.protocolName = null;
      g.leaderId = null;
      g.transitionTo(GroupState.EMPTY, now);
      Errors stored = store.append(List.of(g.toRecord()));
      if (stored != Errors.NONE) {
        log.warn("Group {}: could not store generation {}: {}", g.groupId, g.generationId,
            stored);
      }
      log.info("Group {} is empty at generation {}", g.groupId, g.generationId);
      onMaybeDead.accept(g);
      return;
    }
    g.protocolName = g.selectProtocol();
    Member leader = g.members.get(g.leaderId);
    if (leader == null || leader.awaitingJoin == null) {
      g.members.values().stream().filter(m -> m.awaitingJoin != null).findFirst()
          .ifPresent(m -> g.leaderId = m.memberId);
    }
    g.transitionTo(GroupState.COMPLETING_REBALANCE, now);
    log.info("Group {}: generation {} with {} members, protocol {}, leader {}", g.groupId,
        g.generationId, g.members.size(), g.protocolName, g.leaderId);
    for (Member m : g.members.values()) {
      m.assignment = new byte[0];
      if (m.awaitingJoin != null) {
        Consumer<JoinResult> cb = m.awaitingJoin;
        m.awaitingJoin = null;
        m.isNew = false;
        scheduleSession(g, m);
        cb.accept(currentGeneration(g, m, g.isLeader(m.memberId)));
      }
    }
    int generation = g.generationId;
    g.syncTimeout = timer.schedule("sync " + g.groupId, g.maxRebalanceTimeoutMs(),
        () -> onSyncTimeout(g, generation));
  }

  /** The leader did not send the assignment in time: drop who did not sync, start over. */
  private void onSyncTimeout(ClassicGroup g, int generation) {
    synchronized (lock) {
      if (!g.is(GroupState.COMPLETING_REBALANCE) || g.generationId != generation) {
        return;
      }
      for (Member m : List.copyOf(g.members.values())) {
        if (m.awaitingSync == null) {
          g.remove(m.memberId);
        }
      }
      prepareRebalance(g, "members did not sync within the rebalance timeout");
    }
  }

  private void failPendingSyncs(ClassicGroup g, Errors error) {
    for (Member m : g.members.values()) {
      m.assignment = new byte[0];
      if (m.awaitingSync != null) {
        Consumer<SyncResult> cb = m.awaitingSync;
        m.awaitingSync = null;
        cb.accept(SyncResult.error(error));
      }
    }
  }

  // ---- SyncGroup, Heartbeat, LeaveGroup -----------------------------------------------------

  void sync(ClassicGroup g, String memberId, String instanceId, int generation,
      String protocolType, String protocolName, Map<String, byte[]> assignments,
      Consumer<SyncResult> cb) {
    Errors error = validateMember(g, memberId, instanceId, generation);
    if (error == Errors.NONE && ((protocolType != null && !protocolType.equals(g.protocolType))
        || (protocolName != null && !protocolName.equals(g.protocolName)))) {
      error = Errors.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (error != Errors.NONE) {
      cb.accept(SyncResult.error(error));
      return;
    }
    Member m = g.members.get(memberId);
    switch (g.state) {
      case PREPARING_REBALANCE -> cb.accept(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
      case STABLE -> {
        scheduleSession(g, m);
        cb.accept(new SyncResult(Errors.NONE, g.protocolType, g.protocolName, m.assignment));
      }
      case COMPLETING_REBALANCE -> {
        if (m.awaitingSync != null) {
          m.awaitingSync.accept(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
        }
        m.awaitingSync = cb;
        scheduleSession(g, m);
        if (g.isLeader(memberId)) {
          completeSync(g, assignments);
        }
      }
      default -> cb.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
    }
  }

  /** The leader's assignment arrived: store it, then answer every member waiting in sync. */
  private void completeSync(ClassicGroup g, Map<String, byte[]> assignments) {
    for (Member m : g.members.values()) {
      m.assignment = assignments.getOrDefault(m.memberId, new byte[0]);
    }
    Errors stored = store.append(List.of(g.toRecord()));
    if (stored != Errors.NONE) {
      log.warn("Group {}: could not store generation {}: {}", g.groupId, g.generationId,
          stored);
      failPendingSyncs(g, storeErrorForClient(stored));
      prepareRebalance(g, "the assignment could not be stored");
      return;
    }
    g.cancelTimers();
    g.transitionTo(GroupState.STABLE, time.milliseconds());
    for (Member m : g.members.values()) {
      if (m.awaitingSync != null) {
        Consumer<SyncResult> cb = m.awaitingSync;
        m.awaitingSync = null;
        cb.accept(new SyncResult(Errors.NONE, g.protocolType, g.protocolName, m.assignment));
      }
    }
    log.info("Group {} is stable at generation {}", g.groupId, g.generationId);
  }

  /** Errors a client understands as "find the coordinator again", as Kafka maps them. */
  static Errors storeErrorForClient(Errors stored) {
    return switch (stored) {
      case NONE -> Errors.NONE;
      case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
      case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
      default -> Errors.COORDINATOR_NOT_AVAILABLE;
    };
  }

  Errors heartbeat(ClassicGroup g, String memberId, String instanceId, int generation) {
    Errors error = validateMember(g, memberId, instanceId, generation);
    if (error != Errors.NONE) {
      return error;
    }
    Member m = g.members.get(memberId);
    switch (g.state) {
      case STABLE, COMPLETING_REBALANCE -> {
        scheduleSession(g, m);
        return Errors.NONE;
      }
      case PREPARING_REBALANCE -> {
        scheduleSession(g, m);
        return Errors.REBALANCE_IN_PROGRESS;
      }
      default -> {
        return Errors.UNKNOWN_MEMBER_ID;
      }
    }
  }

  /** Dead, fenced, unknown member, wrong generation — in Kafka's order — or NONE. */
  Errors validateMember(ClassicGroup g, String memberId, String instanceId, int generation) {
    if (g.is(GroupState.DEAD)) {
      return Errors.COORDINATOR_NOT_AVAILABLE;
    }
    if (g.isStaticMemberFenced(memberId, instanceId)) {
      return Errors.FENCED_INSTANCE_ID;
    }
    if (!g.has(memberId)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    if (generation != g.generationId) {
      return Errors.ILLEGAL_GENERATION;
    }
    return Errors.NONE;
  }

  Errors leave(ClassicGroup g, String memberId, String instanceId) {
    if (instanceId != null) {
      String current = g.staticMembers.get(instanceId);
      if (current == null) {
        return Errors.UNKNOWN_MEMBER_ID;
      }
      if (!memberId.isEmpty() && !memberId.equals(current)) {
        return Errors.FENCED_INSTANCE_ID;
      }
      removeMemberAndUpdate(g, g.members.get(current), "static member " + instanceId + " left");
      return Errors.NONE;
    }
    GroupTimer.Timeout pending = g.pendingMembers.remove(memberId);
    if (pending != null) {
      pending.cancel();
      tryCompleteJoin(g);
      return Errors.NONE;
    }
    Member m = g.members.get(memberId);
    if (m == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    removeMemberAndUpdate(g, m, "member " + memberId + " left");
    return Errors.NONE;
  }

  // ---- sessions -----------------------------------------------------------------------------

  /** (Re)starts the member's session: it must be heard from again within its timeout. */
  void scheduleSession(ClassicGroup g, Member m) {
    m.cancelSessionTimeout();
    long deadline = time.milliseconds() + m.sessionTimeoutMs;
    m.sessionDeadlineMs = deadline;
    m.sessionTimeout = timer.schedule("session " + m.memberId, m.sessionTimeoutMs,
        () -> onSessionExpired(g, m, deadline));
  }

  private void onSessionExpired(ClassicGroup g, Member m, long deadline) {
    synchronized (lock) {
      if (g.members.get(m.memberId) != m || m.sessionDeadlineMs != deadline) {
        return; // heard from since, or already gone
      }
      if (m.awaitingJoin != null || m.awaitingSync != null) {
        // Parked in a join or sync: the rebalance timeout bounds that wait, not the session.
        scheduleSession(g, m);
        return;
      }
      removeMemberAndUpdate(g, m, "member " + m.memberId + " session timed out after "
          + m.sessionTimeoutMs + " ms");
    }
  }

  private void expirePendingMember(ClassicGroup g, String memberId) {
    synchronized (lock) {
      if (g.pendingMembers.remove(memberId) != null) {
        tryCompleteJoin(g);
        onMaybeDead.accept(g);
      }
    }
  }

  void removeMemberAndUpdate(ClassicGroup g, Member m, String reason) {
    if (m.awaitingJoin != null) {
      m.awaitingJoin.accept(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, m.memberId));
      m.awaitingJoin = null;
    }
    if (m.awaitingSync != null) {
      m.awaitingSync.accept(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
      m.awaitingSync = null;
    }
    g.remove(m.memberId);
    switch (g.state) {
      case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g, reason);
      case PREPARING_REBALANCE -> {
        log.info("Group {}: {}", g.groupId, reason);
        tryCompleteJoin(g);
      }
      default -> { }
    }
  }
}
