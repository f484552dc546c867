package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the group API family. */
final class GroupApiMessages {
  private GroupApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
    schemas.put(ApiKey.OFFSET_COMMIT,
        new ApiSchemas(OffsetCommitRequest.SCHEMA, OffsetCommitResponse.SCHEMA));
    schemas.put(ApiKey.OFFSET_FETCH,
        new ApiSchemas(OffsetFetchRequest.SCHEMA, OffsetFetchResponse.SCHEMA));
    schemas.put(ApiKey.FIND_COORDINATOR,
        new ApiSchemas(FindCoordinatorRequest.SCHEMA, FindCoordinatorResponse.SCHEMA));
    schemas.put(ApiKey.JOIN_GROUP,
        new ApiSchemas(JoinGroupRequest.SCHEMA, JoinGroupResponse.SCHEMA));
    schemas.put(ApiKey.HEARTBEAT,
        new ApiSchemas(HeartbeatRequest.SCHEMA, HeartbeatResponse.SCHEMA));
    schemas.put(ApiKey.LEAVE_GROUP,
        new ApiSchemas(LeaveGroupRequest.SCHEMA, LeaveGroupResponse.SCHEMA));
    schemas.put(ApiKey.SYNC_GROUP,
        new ApiSchemas(SyncGroupRequest.SCHEMA, SyncGroupResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_GROUPS,
        new ApiSchemas(DescribeGroupsRequest.SCHEMA, DescribeGroupsResponse.SCHEMA));
    schemas.put(ApiKey.LIST_GROUPS,
        new ApiSchemas(ListGroupsRequest.SCHEMA, ListGroupsResponse.SCHEMA));
    schemas.put(ApiKey.DELETE_GROUPS,
        new ApiSchemas(DeleteGroupsRequest.SCHEMA, DeleteGroupsResponse.SCHEMA));
    schemas.put(ApiKey.OFFSET_DELETE,
        new ApiSchemas(OffsetDeleteRequest.SCHEMA, OffsetDeleteResponse.SCHEMA));
  }
}
