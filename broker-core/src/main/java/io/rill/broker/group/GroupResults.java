package io.rill.broker.group;

import io.rill.protocol.Errors;
import java.util.List;

/**
 * What the coordinator answers to the membership calls, delivered through callbacks because a
 * JoinGroup or SyncGroup may complete long after the request (when the rebalance does). Handlers
 * turn them into response structs at the request's version.
 */
public final class GroupResults {
  private GroupResults() {}

  /** One member as the leader sees it in its JoinGroup response. */
  public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {}

  /**
   * A JoinGroup answer. {@code members} is non-empty only for the leader; {@code protocolName}
   * and {@code protocolType} are null on errors.
   */
  public record JoinResult(Errors error, int generationId, String protocolType,
      String protocolName, String leaderId, String memberId, List<JoinedMember> members,
      boolean skipAssignment) {
    public static JoinResult error(Errors error, String memberId) {
      return new JoinResult(error, -1, null, null, "", memberId, List.of(), false);
    }
  }

  /** A SyncGroup answer: the member's assignment (empty on errors). */
  public record SyncResult(Errors error, String protocolType, String protocolName,
      byte[] assignment) {
    public static SyncResult error(Errors error) {
      return new SyncResult(error, null, null, new byte[0]);
    }
  }

  /** One member's outcome in a (batched) LeaveGroup. */
  public record LeaveResult(String memberId, String groupInstanceId, Errors error) {}
}
