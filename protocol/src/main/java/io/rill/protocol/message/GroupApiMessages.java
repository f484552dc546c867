package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the group API family. */
final class GroupApiMessages {
  private GroupApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
  }
}
