package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * ApiVersions request (key 18), v0-4. v0-2 have no body; v3 added the client's software name
 * and version (KIP-511) and flexible encoding.
 */
public final class ApiVersionsRequest {
  public static final Field<String> CLIENT_SOFTWARE_NAME = Field.string("ClientSoftwareName").since(3);
  public static final Field<String> CLIENT_SOFTWARE_VERSION = Field.string("ClientSoftwareVersion").since(3);

  public static final Schema SCHEMA = Schema.of("ApiVersionsRequest",
      CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION);

  private ApiVersionsRequest() {}
}
