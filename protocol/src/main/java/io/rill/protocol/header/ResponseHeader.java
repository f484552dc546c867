package io.rill.protocol.header;

import io.rill.protocol.ApiKey;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;

/**
 * The header of every response: v0 is the correlation id; v1 adds a tagged-field section and is
 * used for flexible versions — except ApiVersions, whose response header is always v0 so a
 * client can read it before it knows which versions the broker speaks (KIP-511).
 */
public final class ResponseHeader {
  private ResponseHeader() {}

  public static short headerVersion(ApiKey api, short apiVersion) {
    if (api == ApiKey.API_VERSIONS) {
      return 0;
    }
    return api.isFlexible(apiVersion) ? (short) 1 : (short) 0;
  }

  public static void write(ApiKey api, short apiVersion, int correlationId, WireWriter out) {
    out.writeInt32(correlationId);
    if (headerVersion(api, apiVersion) >= 1) {
      out.writeUnsignedVarint(0);
    }
  }

  /** Reads a response header (client side) and returns the correlation id. */
  public static int read(ApiKey api, short apiVersion, WireReader in) {
    int correlationId = in.readInt32();
    if (headerVersion(api, apiVersion) >= 1) {
      Codec.skipTaggedFields(in);
    }
    return correlationId;
  }
}
