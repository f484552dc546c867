package io.rill.broker.group;

import io.rill.broker.api.BrokerServices;
import io.rill.broker.api.RequestContext;
import io.rill.broker.api.RequestDispatcher;
import io.rill.protocol.ApiKey;

/**
 * The group APIs' entry point for the node. What the node must do, in this order:
 *
 * <ol>
 *   <li>after the quorum, logs and {@code ReplicaManager} exist (and the replica manager's
 *       metadata listener is registered), {@code GroupCoordinatorManager groups =
 *       GroupCoordinatorManager.create(services)};
 *   <li>{@code GroupApis.registerAll(dispatcher, services, groups)} before the handler pool
 *       starts serving;
 *   <li>{@code groups.start()} (subscribes to metadata: the offsets partitions this node leads
 *       get loaded; clients get COORDINATOR_LOAD_IN_PROGRESS meanwhile);
 *   <li>on shutdown, {@code groups.close()} after the handler pool stopped and before the
 *       replica manager and logs close.
 * </ol>
 */
public final class GroupApis {
  private GroupApis() {}

  public static void registerAll(RequestDispatcher dispatcher, BrokerServices services,
      GroupCoordinatorManager groups) {
    dispatcher.register(ApiKey.FIND_COORDINATOR,
        new AdminGroupHandlers.FindCoordinator(services, groups));
    dispatcher.register(ApiKey.JOIN_GROUP, new MembershipHandlers.JoinGroup(groups));
    dispatcher.register(ApiKey.SYNC_GROUP, new MembershipHandlers.SyncGroup(groups));
    dispatcher.register(ApiKey.HEARTBEAT, new MembershipHandlers.Heartbeat(groups));
    dispatcher.register(ApiKey.LEAVE_GROUP, new MembershipHandlers.LeaveGroup(groups));
    dispatcher.register(ApiKey.OFFSET_COMMIT, new OffsetHandlers.OffsetCommit(services, groups));
    dispatcher.register(ApiKey.OFFSET_FETCH, new OffsetHandlers.OffsetFetch(groups));
    dispatcher.register(ApiKey.OFFSET_DELETE, new OffsetHandlers.OffsetDelete(groups));
    dispatcher.register(ApiKey.DESCRIBE_GROUPS, new AdminGroupHandlers.DescribeGroups(groups));
    dispatcher.register(ApiKey.LIST_GROUPS, new AdminGroupHandlers.ListGroups(groups));
    dispatcher.register(ApiKey.DELETE_GROUPS, new AdminGroupHandlers.DeleteGroups(groups));
  }

  /**
   * The client's address as Kafka shows it ("/127.0.0.1"), taken from the connection id
   * ({@code <local>-<remote>-<processor>-<seq>}); "" when it cannot be read.
   */
  static String clientHost(RequestContext ctx) {
    String id = ctx.connectionId();
    if (id == null) {
      return "";
    }
    String[] parts = id.split("-");
    if (parts.length < 4) {
      return "";
    }
    String remote = parts[parts.length - 3];
    int colon = remote.lastIndexOf(':');
    return colon > 0 ? remote.substring(0, colon) : remote;
  }
}
