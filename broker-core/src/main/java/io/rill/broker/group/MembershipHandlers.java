package io.rill.broker.group;

import io.rill.broker.api.ApiHandler;
import io.rill.broker.api.RequestContext;
import io.rill.broker.group.GroupCoordinatorManager.Lookup;
import io.rill.broker.group.GroupResults.JoinResult;
import io.rill.broker.group.GroupResults.JoinedMember;
import io.rill.broker.group.GroupResults.LeaveResult;
import io.rill.broker.group.GroupResults.SyncResult;
import io.rill.protocol.Errors;
import io.rill.protocol.message.HeartbeatRequest;
import io.rill.protocol.message.HeartbeatResponse;
import io.rill.protocol.message.JoinGroupRequest;
import io.rill.protocol.message.JoinGroupResponse;
import io.rill.protocol.message.LeaveGroupRequest;
import io.rill.protocol.message.LeaveGroupResponse;
import io.rill.protocol.message.SyncGroupRequest;
import io.rill.protocol.message.SyncGroupResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership APIs: JoinGroup, SyncGroup, Heartbeat, LeaveGroup. JoinGroup and SyncGroup
 * answer through the request context when the rebalance gets there, from whichever thread
 * completes it; no handler thread waits.
 *
 * <p>Stateless; called concurrently by handler threads.
 */
final class MembershipHandlers {
  private MembershipHandlers() {}

  static final class JoinGroup implements ApiHandler {
    private final GroupCoordinatorManager groups;

    JoinGroup(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      String groupId = request.get(JoinGroupRequest.GROUP_ID);
      String memberId = request.get(JoinGroupRequest.MEMBER_ID);
      Lookup lookup = groups.coordinatorFor(groupId);
      if (lookup instanceof Lookup.NotReady n) {
        ctx.respond(response(ctx, JoinResult.error(n.error(), memberId)));
        return;
      }
      int session = request.getInt(JoinGroupRequest.SESSION_TIMEOUT_MS);
      int rebalance = request.getInt(JoinGroupRequest.REBALANCE_TIMEOUT_MS);
      List<Member.Protocol> protocols = new ArrayList<>();
      for (Struct p : request.get(JoinGroupRequest.PROTOCOLS)) {
        protocols.add(new Member.Protocol(p.get(JoinGroupRequest.PROTOCOL_NAME),
            p.get(JoinGroupRequest.PROTOCOL_METADATA)));
      }
      JoinRequest join = new JoinRequest(groupId, memberId,
          request.get(JoinGroupRequest.GROUP_INSTANCE_ID), clientId(ctx), GroupApis.clientHost(ctx),
          session, rebalance < 0 ? session : rebalance,
          request.get(JoinGroupRequest.PROTOCOL_TYPE), protocols, ctx.version() >= 4);
      ((Lookup.Ready) lookup).coordinator().joinGroup(join,
          result -> ctx.respond(response(ctx, result)));
    }

    private static String clientId(RequestContext ctx) {
      return ctx.clientId() == null ? "" : ctx.clientId();
    }

    static Struct response(RequestContext ctx, JoinResult r) {
      Struct s = new Struct(JoinGroupResponse.SCHEMA)
          .set(JoinGroupResponse.ERROR_CODE, r.error().code)
          .set(JoinGroupResponse.GENERATION_ID, r.generationId())
          .set(JoinGroupResponse.PROTOCOL_TYPE, r.protocolType())
          .set(JoinGroupResponse.PROTOCOL_NAME,
              r.protocolName() == null && ctx.version() < 7 ? "" : r.protocolName())
          .set(JoinGroupResponse.LEADER, r.leaderId() == null ? "" : r.leaderId())
          .set(JoinGroupResponse.SKIP_ASSIGNMENT, r.skipAssignment())
          .set(JoinGroupResponse.MEMBER_ID, r.memberId());
      for (JoinedMember m : r.members()) {
        s.addElement(JoinGroupResponse.MEMBERS)
            .set(JoinGroupResponse.MEMBER_MEMBER_ID, m.memberId())
            .set(JoinGroupResponse.MEMBER_GROUP_INSTANCE_ID, m.groupInstanceId())
            .set(JoinGroupResponse.MEMBER_METADATA,
                m.metadata() == null ? new byte[0] : m.metadata());
      }
      return s;
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return response(ctx, JoinResult.error(error, request.get(JoinGroupRequest.MEMBER_ID)));
    }
  }

  static final class SyncGroup implements ApiHandler {
    private final GroupCoordinatorManager groups;

    SyncGroup(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      Lookup lookup = groups.coordinatorFor(request.get(SyncGroupRequest.GROUP_ID));
      if (lookup instanceof Lookup.NotReady n) {
        ctx.respond(response(SyncResult.error(n.error())));
        return;
      }
      Map<String, byte[]> assignments = new HashMap<>();
      for (Struct a : request.get(SyncGroupRequest.ASSIGNMENTS)) {
        assignments.put(a.get(SyncGroupRequest.ASSIGNMENT_MEMBER_ID),
            a.get(SyncGroupRequest.ASSIGNMENT_BYTES));
      }
      ((Lookup.Ready) lookup).coordinator().syncGroup(request.get(SyncGroupRequest.GROUP_ID),
          request.get(SyncGroupRequest.MEMBER_ID), request.get(SyncGroupRequest.GROUP_INSTANCE_ID),
          request.getInt(SyncGroupRequest.GENERATION_ID),
          request.get(SyncGroupRequest.PROTOCOL_TYPE), request.get(SyncGroupRequest.PROTOCOL_NAME),
          assignments, result -> answer(ctx, request, result));
    }

    /**
     * A successful sync is answered once the group's assignment (written when the leader's
     * arrived) is replicated, as Kafka's coordinator does: a member must not start consuming
     * under an assignment a new coordinator after a failover would not know of. Errors go out
     * at once.
     */
    private void answer(RequestContext ctx, Struct request, SyncResult result) {
      if (result.error() != Errors.NONE) {
        ctx.respond(response(result));
        return;
      }
      groups.answerWhenReplicated(ctx, request.get(SyncGroupRequest.GROUP_ID),
          error -> response(error == null ? result : SyncResult.error(error)));
    }

    static Struct response(SyncResult r) {
      return new Struct(SyncGroupResponse.SCHEMA)
          .set(SyncGroupResponse.ERROR_CODE, r.error().code)
          .set(SyncGroupResponse.PROTOCOL_TYPE, r.protocolType())
          .set(SyncGroupResponse.PROTOCOL_NAME, r.protocolName())
          .set(SyncGroupResponse.ASSIGNMENT, r.assignment());
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return response(SyncResult.error(error));
    }
  }

  static final class Heartbeat implements ApiHandler {
    private final GroupCoordinatorManager groups;

    Heartbeat(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      String groupId = request.get(HeartbeatRequest.GROUP_ID);
      Lookup lookup = groups.coordinatorFor(groupId);
      Errors error = lookup instanceof Lookup.NotReady n ? n.error()
          : ((Lookup.Ready) lookup).coordinator().heartbeat(groupId,
              request.get(HeartbeatRequest.MEMBER_ID),
              request.get(HeartbeatRequest.GROUP_INSTANCE_ID),
              request.getInt(HeartbeatRequest.GENERATION_ID));
      ctx.respond(errorResponse(ctx, request, error));
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return new Struct(HeartbeatResponse.SCHEMA).set(HeartbeatResponse.ERROR_CODE, error.code);
    }
  }

  /** v0-2 name one member; v3+ a batch (KIP-345), each with its own error. */
  static final class LeaveGroup implements ApiHandler {
    private final GroupCoordinatorManager groups;

    LeaveGroup(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      String groupId = request.get(LeaveGroupRequest.GROUP_ID);
      Lookup lookup = groups.coordinatorFor(groupId);
      if (lookup instanceof Lookup.NotReady n) {
        ctx.respond(errorResponse(ctx, request, n.error()));
        return;
      }
      List<LeaveResult> leaving = new ArrayList<>();
      if (ctx.version() < 3) {
        leaving.add(new LeaveResult(request.get(LeaveGroupRequest.MEMBER_ID), null, Errors.NONE));
      } else {
        for (Struct m : request.get(LeaveGroupRequest.MEMBERS)) {
          leaving.add(new LeaveResult(m.get(LeaveGroupRequest.MEMBER_MEMBER_ID),
              m.get(LeaveGroupRequest.MEMBER_GROUP_INSTANCE_ID), Errors.NONE));
        }
      }
      List<LeaveResult> results =
          ((Lookup.Ready) lookup).coordinator().leaveGroup(groupId, leaving);
      Struct response = new Struct(LeaveGroupResponse.SCHEMA);
      if (ctx.version() < 3) {
        response.set(LeaveGroupResponse.ERROR_CODE, results.get(0).error().code);
      } else {
        for (LeaveResult r : results) {
          response.addElement(LeaveGroupResponse.MEMBERS)
              .set(LeaveGroupResponse.MEMBER_MEMBER_ID, r.memberId())
              .set(LeaveGroupResponse.MEMBER_GROUP_INSTANCE_ID, r.groupInstanceId())
              .set(LeaveGroupResponse.MEMBER_ERROR_CODE, r.error().code);
        }
      }
      // Answered once replicated: a leave a new coordinator never saw would make the group's
      // next rebalance wait out the departed member's session.
      groups.answerWhenReplicated(ctx, groupId,
          error -> error == null ? response : errorResponse(ctx, request, error));
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return new Struct(LeaveGroupResponse.SCHEMA).set(LeaveGroupResponse.ERROR_CODE, error.code);
    }
  }
}
