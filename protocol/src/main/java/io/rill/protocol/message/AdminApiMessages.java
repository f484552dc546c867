package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the admin API family. */
final class AdminApiMessages {
  private AdminApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
    schemas.put(ApiKey.CREATE_TOPICS,
        new ApiSchemas(CreateTopicsRequest.SCHEMA, CreateTopicsResponse.SCHEMA));
    schemas.put(ApiKey.DELETE_TOPICS,
        new ApiSchemas(DeleteTopicsRequest.SCHEMA, DeleteTopicsResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_CONFIGS,
        new ApiSchemas(DescribeConfigsRequest.SCHEMA, DescribeConfigsResponse.SCHEMA));
    schemas.put(ApiKey.ALTER_CONFIGS,
        new ApiSchemas(AlterConfigsRequest.SCHEMA, AlterConfigsResponse.SCHEMA));
    schemas.put(ApiKey.CREATE_PARTITIONS,
        new ApiSchemas(CreatePartitionsRequest.SCHEMA, CreatePartitionsResponse.SCHEMA));
    schemas.put(ApiKey.INCREMENTAL_ALTER_CONFIGS, new ApiSchemas(
        IncrementalAlterConfigsRequest.SCHEMA, IncrementalAlterConfigsResponse.SCHEMA));
    schemas.put(ApiKey.ELECT_LEADERS,
        new ApiSchemas(ElectLeadersRequest.SCHEMA, ElectLeadersResponse.SCHEMA));
    schemas.put(ApiKey.ALTER_PARTITION_REASSIGNMENTS, new ApiSchemas(
        AlterPartitionReassignmentsRequest.SCHEMA, AlterPartitionReassignmentsResponse.SCHEMA));
    schemas.put(ApiKey.LIST_PARTITION_REASSIGNMENTS, new ApiSchemas(
        ListPartitionReassignmentsRequest.SCHEMA, ListPartitionReassignmentsResponse.SCHEMA));
    schemas.put(ApiKey.UNREGISTER_BROKER,
        new ApiSchemas(UnregisterBrokerRequest.SCHEMA, UnregisterBrokerResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_LOG_DIRS,
        new ApiSchemas(DescribeLogDirsRequest.SCHEMA, DescribeLogDirsResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_ACLS,
        new ApiSchemas(DescribeAclsRequest.SCHEMA, DescribeAclsResponse.SCHEMA));
    schemas.put(ApiKey.CREATE_ACLS,
        new ApiSchemas(CreateAclsRequest.SCHEMA, CreateAclsResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_QUORUM,
        new ApiSchemas(DescribeQuorumRequest.SCHEMA, DescribeQuorumResponse.SCHEMA));
  }
}
