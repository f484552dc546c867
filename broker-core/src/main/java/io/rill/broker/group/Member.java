package io.rill.broker.group;

import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.SyncResult;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group: who it is, its timeouts, the protocols it supports with their
 * metadata, its current assignment, and the JoinGroup / SyncGroup it has outstanding.
 *
 * <p>Invariants: at most one pending join and one pending sync callback (a second request
 * replaces the first, which is answered at once); {@code assignment} is never null (empty
 * before the first SyncGroup of a generation). Owned by its {@link GroupCoordinator}: every
 * access holds the coordinator's lock.
 */
final class Member {
  /** A protocol the member supports and its metadata (the consumer's subscription). */
  record Protocol(String name, byte[] metadata) {}

  final String memberId;
  /** Null for a dynamic member. */
  final String groupInstanceId;
  final String clientId;
  final String clientHost;
  int rebalanceTimeoutMs;
  int sessionTimeoutMs;
  List<Protocol> protocols;
  byte[] assignment = new byte[0];
  Consumer<JoinResult> awaitingJoin;
  Consumer<SyncResult> awaitingSync;
  GroupTimer.Timeout sessionTimeout;
  /** When the current session ends unless the member is heard from; stale timers compare it. */
  long sessionDeadlineMs;
  /** Joined but never completed a rebalance: its first join is not yet answered. */
  boolean isNew;

  Member(String memberId, String groupInstanceId, String clientId, String clientHost,
      int rebalanceTimeoutMs, int sessionTimeoutMs, List<Protocol> protocols) {
    this.memberId = memberId;
    this.groupInstanceId = groupInstanceId;
    this.clientId = clientId;
    this.clientHost = clientHost;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.protocols = List.copyOf(protocols);
  }

  boolean isStatic() {
    return groupInstanceId != null;
  }

  /** The metadata this member sent for {@code protocol}; null when it does not support it. */
  byte[] metadata(String protocol) {
    for (Protocol p : protocols) {
      if (p.name().equals(protocol)) {
        return p.metadata();
      }
    }
    return null;
  }

  /** Whether the member supports the same protocols, with the same metadata, in this order. */
  boolean matches(List<Protocol> other) {
    if (other.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < other.size(); i++) {
      if (!other.get(i).name().equals(protocols.get(i).name())
          || !java.util.Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
        return false;
      }
    }
    return true;
  }

  void cancelSessionTimeout() {
    if (sessionTimeout != null) {
      sessionTimeout.cancel();
      sessionTimeout = null;
    }
  }
}
