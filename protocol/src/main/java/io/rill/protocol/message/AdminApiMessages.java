package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.util.Map;

/** Registers the schemas of the admin API family. */
final class AdminApiMessages {
  private AdminApiMessages() {}

  static void registerAll(Map<ApiKey, ApiSchemas> schemas) {
  }
}
