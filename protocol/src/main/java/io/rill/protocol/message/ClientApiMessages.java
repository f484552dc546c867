package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the client API family: what producers and consumers send. */
final class ClientApiMessages {
  private ClientApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
    schemas.put(ApiKey.PRODUCE, new ApiSchemas(ProduceRequest.SCHEMA, ProduceResponse.SCHEMA));
    schemas.put(ApiKey.FETCH, new ApiSchemas(FetchRequest.SCHEMA, FetchResponse.SCHEMA));
    schemas.put(ApiKey.LIST_OFFSETS,
        new ApiSchemas(ListOffsetsRequest.SCHEMA, ListOffsetsResponse.SCHEMA));
    schemas.put(ApiKey.METADATA, new ApiSchemas(MetadataRequest.SCHEMA, MetadataResponse.SCHEMA));
    schemas.put(ApiKey.API_VERSIONS,
        new ApiSchemas(ApiVersionsRequest.SCHEMA, ApiVersionsResponse.SCHEMA));
    schemas.put(ApiKey.DELETE_RECORDS,
        new ApiSchemas(DeleteRecordsRequest.SCHEMA, DeleteRecordsResponse.SCHEMA));
    schemas.put(ApiKey.INIT_PRODUCER_ID,
        new ApiSchemas(InitProducerIdRequest.SCHEMA, InitProducerIdResponse.SCHEMA));
    schemas.put(ApiKey.OFFSET_FOR_LEADER_EPOCH,
        new ApiSchemas(OffsetForLeaderEpochRequest.SCHEMA, OffsetForLeaderEpochResponse.SCHEMA));
    schemas.put(ApiKey.DESCRIBE_CLUSTER,
        new ApiSchemas(DescribeClusterRequest.SCHEMA, DescribeClusterResponse.SCHEMA));
  }
}
