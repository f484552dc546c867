package io.rill.broker.group;

import io.rill.broker.api.ApiHandler;
import io.rill.broker.api.BrokerServices;
import io.rill.broker.api.RequestContext;
import io.rill.broker.config.Endpoint;
import io.rill.broker.group.GroupCoordinator.Description;
import io.rill.broker.group.GroupCoordinator.Listing;
import io.rill.broker.group.GroupCoordinator.MemberDescription;
import io.rill.broker.group.GroupCoordinatorManager.CoordinatorNode;
import io.rill.broker.group.GroupCoordinatorManager.Lookup;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DeleteGroupsRequest;
import io.rill.protocol.message.DeleteGroupsResponse;
import io.rill.protocol.message.DescribeGroupsRequest;
import io.rill.protocol.message.DescribeGroupsResponse;
import io.rill.protocol.message.FindCoordinatorRequest;
import io.rill.protocol.message.FindCoordinatorResponse;
import io.rill.protocol.message.ListGroupsRequest;
import io.rill.protocol.message.ListGroupsResponse;
import io.rill.protocol.schema.Struct;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * FindCoordinator, DescribeGroups, ListGroups and DeleteGroups.
 *
 * <p>Stateless; called concurrently by handler threads.
 */
final class AdminGroupHandlers {
  /** FindCoordinator key types (KIP-98, KIP-932). */
  static final byte KEY_TYPE_GROUP = 0;
  static final byte KEY_TYPE_TRANSACTION = 1;
  /** Why a transaction coordinator cannot be found; clients show it to their users. */
  static final String TRANSACTIONS_UNSUPPORTED = "Rill does not support transactions yet:"
      + " use an idempotent producer without transactional.id";
  /** ListGroups v5 type of every group we serve (KIP-848 names the classic protocol so). */
  static final String GROUP_TYPE_CLASSIC = "classic";

  private AdminGroupHandlers() {}

  /** v0-3 one key; v4+ a batch with each key echoed (KIP-699). */
  static final class FindCoordinator implements ApiHandler {
    private final BrokerServices services;
    private final GroupCoordinatorManager groups;

    FindCoordinator(BrokerServices services, GroupCoordinatorManager groups) {
      this.services = services;
      this.groups = groups;
    }

    private record Answer(Errors error, String message, int nodeId, String host, int port) {}

    @Override
    public void handle(RequestContext ctx, Struct request) {
      byte keyType = request.get(FindCoordinatorRequest.KEY_TYPE);
      Struct response = new Struct(FindCoordinatorResponse.SCHEMA);
      if (ctx.version() < 4) {
        Answer a = find(ctx, keyType, request.get(FindCoordinatorRequest.KEY));
        response.set(FindCoordinatorResponse.ERROR_CODE, a.error().code)
            .set(FindCoordinatorResponse.ERROR_MESSAGE, a.message())
            .set(FindCoordinatorResponse.NODE_ID, a.nodeId())
            .set(FindCoordinatorResponse.HOST, a.host())
            .set(FindCoordinatorResponse.PORT, a.port());
      } else {
        for (String key : request.get(FindCoordinatorRequest.COORDINATOR_KEYS)) {
          Answer a = find(ctx, keyType, key);
          response.addElement(FindCoordinatorResponse.COORDINATORS)
              .set(FindCoordinatorResponse.COORDINATOR_KEY, key)
              .set(FindCoordinatorResponse.COORDINATOR_ERROR_CODE, a.error().code)
              .set(FindCoordinatorResponse.COORDINATOR_ERROR_MESSAGE, a.message())
              .set(FindCoordinatorResponse.COORDINATOR_NODE_ID, a.nodeId())
              .set(FindCoordinatorResponse.COORDINATOR_HOST, a.host())
              .set(FindCoordinatorResponse.COORDINATOR_PORT, a.port());
        }
      }
      ctx.respond(response);
    }

    private Answer find(RequestContext ctx, byte keyType, String key) {
      if (keyType == KEY_TYPE_TRANSACTION) {
        // Not COORDINATOR_NOT_AVAILABLE: it is retriable, so a transactional producer blocked
        // for max.block.ms and kafka-transactions retried ~4,000 times a second (issue 15).
        // A non-retriable code ends both at once; the Java producer and admin client show the
        // message.
        return error(Errors.UNSUPPORTED_VERSION, TRANSACTIONS_UNSUPPORTED);
      }
      if (keyType != KEY_TYPE_GROUP) {
        return error(Errors.INVALID_REQUEST, "key type " + keyType + " is not served");
      }
      if (key == null || key.isEmpty()) {
        return error(Errors.INVALID_REQUEST, "empty group id");
      }
      CoordinatorNode node = groups.findCoordinator(key);
      if (node.error() != Errors.NONE) {
        return error(node.error(), null);
      }
      Optional<Endpoint> endpoint = endpoint(node.nodeId(), ctx.listenerName());
      if (endpoint.isEmpty()) {
        return error(Errors.COORDINATOR_NOT_AVAILABLE, "no endpoint on this listener");
      }
      return new Answer(Errors.NONE, null, node.nodeId(), endpoint.get().host(),
          endpoint.get().port());
    }

    private Optional<Endpoint> endpoint(int nodeId, String listener) {
      if (nodeId == services.nodeId()) {
        return services.advertisedEndpoints().stream()
            .filter(e -> e.listenerName().equals(listener)).findFirst();
      }
      return services.metadata().image().broker(nodeId).flatMap(b -> b.endpoints().stream()
          .filter(e -> e.listener().equals(listener)).findFirst()
          .map(e -> new Endpoint(listener, e.host(), e.port())));
    }

    private static Answer error(Errors error, String message) {
      return new Answer(error, message, -1, "", -1);
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      Struct response = new Struct(FindCoordinatorResponse.SCHEMA);
      if (ctx.version() < 4) {
        return response.set(FindCoordinatorResponse.ERROR_CODE, error.code)
            .set(FindCoordinatorResponse.NODE_ID, -1).set(FindCoordinatorResponse.PORT, -1);
      }
      for (String key : request.get(FindCoordinatorRequest.COORDINATOR_KEYS)) {
        response.addElement(FindCoordinatorResponse.COORDINATORS)
            .set(FindCoordinatorResponse.COORDINATOR_KEY, key)
            .set(FindCoordinatorResponse.COORDINATOR_ERROR_CODE, error.code)
            .set(FindCoordinatorResponse.COORDINATOR_NODE_ID, -1)
            .set(FindCoordinatorResponse.COORDINATOR_PORT, -1);
      }
      return response;
    }
  }

  static final class DescribeGroups implements ApiHandler {
    private final GroupCoordinatorManager groups;

    DescribeGroups(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      Struct response = new Struct(DescribeGroupsResponse.SCHEMA);
      for (String groupId : request.get(DescribeGroupsRequest.GROUPS)) {
        Lookup lookup = groups.coordinatorFor(groupId);
        if (lookup instanceof Lookup.NotReady n) {
          addError(response, groupId, n.error());
          continue;
        }
        Description d = ((Lookup.Ready) lookup).coordinator().describe(groupId);
        Struct g = response.addElement(DescribeGroupsResponse.GROUPS)
            .set(DescribeGroupsResponse.GROUP_ERROR_CODE, Errors.NONE.code)
            .set(DescribeGroupsResponse.GROUP_ID, groupId)
            .set(DescribeGroupsResponse.GROUP_STATE, d.state().wireName)
            .set(DescribeGroupsResponse.GROUP_PROTOCOL_TYPE, d.protocolType())
            .set(DescribeGroupsResponse.GROUP_PROTOCOL_DATA, d.protocolData());
        for (MemberDescription m : d.members()) {
          g.addElement(DescribeGroupsResponse.GROUP_MEMBERS)
              .set(DescribeGroupsResponse.MEMBER_ID, m.memberId())
              .set(DescribeGroupsResponse.MEMBER_GROUP_INSTANCE_ID, m.groupInstanceId())
              .set(DescribeGroupsResponse.MEMBER_CLIENT_ID, m.clientId())
              .set(DescribeGroupsResponse.MEMBER_CLIENT_HOST, m.clientHost())
              .set(DescribeGroupsResponse.MEMBER_METADATA, m.metadata())
              .set(DescribeGroupsResponse.MEMBER_ASSIGNMENT, m.assignment());
        }
      }
      ctx.respond(response);
    }

    private static void addError(Struct response, String groupId, Errors error) {
      response.addElement(DescribeGroupsResponse.GROUPS)
          .set(DescribeGroupsResponse.GROUP_ERROR_CODE, error.code)
          .set(DescribeGroupsResponse.GROUP_ID, groupId)
          .set(DescribeGroupsResponse.GROUP_STATE, "")
          .set(DescribeGroupsResponse.GROUP_PROTOCOL_TYPE, "")
          .set(DescribeGroupsResponse.GROUP_PROTOCOL_DATA, "");
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      Struct response = new Struct(DescribeGroupsResponse.SCHEMA);
      request.get(DescribeGroupsRequest.GROUPS).forEach(g -> addError(response, g, error));
      return response;
    }
  }

  /** v4+ filters by state (case-insensitive); v5+ by type, where every group is "classic". */
  static final class ListGroups implements ApiHandler {
    private final GroupCoordinatorManager groups;

    ListGroups(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      Struct response = new Struct(ListGroupsResponse.SCHEMA);
      List<String> types = request.get(ListGroupsRequest.TYPES_FILTER);
      if (!types.isEmpty()
          && types.stream().noneMatch(t -> t.equalsIgnoreCase(GROUP_TYPE_CLASSIC))) {
        ctx.respond(response);
        return;
      }
      Set<GroupState> states = EnumSet.noneOf(GroupState.class);
      for (String s : request.get(ListGroupsRequest.STATES_FILTER)) {
        GroupState state = GroupState.forWireName(s);
        if (state == null) {
          ctx.respond(response); // no group is in a state we do not know
          return;
        }
        states.add(state);
      }
      for (GroupCoordinator c : groups.loadedCoordinators()) {
        for (Listing l : c.list(states)) {
          response.addElement(ListGroupsResponse.GROUPS)
              .set(ListGroupsResponse.GROUP_ID, l.groupId())
              .set(ListGroupsResponse.GROUP_PROTOCOL_TYPE, l.protocolType())
              .set(ListGroupsResponse.GROUP_STATE, l.state().wireName)
              .set(ListGroupsResponse.GROUP_TYPE, GROUP_TYPE_CLASSIC);
        }
      }
      if (groups.anyLoading()) {
        response.set(ListGroupsResponse.ERROR_CODE, Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
      }
      ctx.respond(response);
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return new Struct(ListGroupsResponse.SCHEMA).set(ListGroupsResponse.ERROR_CODE, error.code);
    }
  }

  static final class DeleteGroups implements ApiHandler {
    private final GroupCoordinatorManager groups;

    DeleteGroups(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      Struct response = new Struct(DeleteGroupsResponse.SCHEMA);
      for (String groupId : request.get(DeleteGroupsRequest.GROUPS_NAMES)) {
        Lookup lookup = groups.coordinatorFor(groupId);
        Errors error = lookup instanceof Lookup.NotReady n ? n.error()
            : ((Lookup.Ready) lookup).coordinator().deleteGroup(groupId);
        response.addElement(DeleteGroupsResponse.RESULTS)
            .set(DeleteGroupsResponse.RESULT_GROUP_ID, groupId)
            .set(DeleteGroupsResponse.RESULT_ERROR_CODE, error.code);
      }
      ctx.respond(response);
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      Struct response = new Struct(DeleteGroupsResponse.SCHEMA);
      for (String groupId : request.get(DeleteGroupsRequest.GROUPS_NAMES)) {
        response.addElement(DeleteGroupsResponse.RESULTS)
            .set(DeleteGroupsResponse.RESULT_GROUP_ID, groupId)
            .set(DeleteGroupsResponse.RESULT_ERROR_CODE, error.code);
      }
      return response;
    }
  }
}
