package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the client API family. */
final class ClientApiMessages {
  private ClientApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
    schemas.put(ApiKey.API_VERSIONS,
        new ApiSchemas(ApiVersionsRequest.SCHEMA, ApiVersionsResponse.SCHEMA));
  }
}
