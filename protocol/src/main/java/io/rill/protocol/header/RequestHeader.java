package io.rill.protocol.header;

import io.rill.protocol.ApiKey;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;

/**
 * The header of every request.
 *
 * <pre>
 * v0: ApiKey int16, ApiVersion int16, CorrelationId int32
 * v1: + ClientId nullable string (always the classic int16-length form)
 * v2: + tagged fields (when the request version is flexible)
 * </pre>
 *
 * <p>ClientId stays a classic string even in v2 (Redpanda PR #6585 misparsed every later field
 * when a null client id was followed by the tag section).
 *
 * @param apiKey the raw API id, which may be one we do not serve
 */
public record RequestHeader(short apiKey, short apiVersion, int correlationId, String clientId) {
  /** The frame bytes a header needs at least: api key, version, correlation id. */
  public static final int MIN_SIZE = 8;

  /** Header version 2 for flexible request versions, 1 otherwise. */
  public static short headerVersion(ApiKey api, short apiVersion) {
    return api.isFlexible(apiVersion) ? (short) 2 : (short) 1;
  }

  /**
   * Parses the header at the reader's position and leaves it at the body. An API we do not
   * serve is parsed as far as v1 (enough to answer or log it).
   */
  public static RequestHeader read(WireReader in) {
    short key = in.readInt16();
    short version = in.readInt16();
    int correlationId = in.readInt32();
    String clientId = in.readString(false);
    ApiKey api = ApiKey.forId(key);
    if (api != null && api.isFlexible(version)) {
      Codec.skipTaggedFields(in);
    }
    return new RequestHeader(key, version, correlationId, clientId);
  }

  public void write(WireWriter out) {
    out.writeInt16(apiKey).writeInt16(apiVersion).writeInt32(correlationId);
    out.writeString(clientId, false);
    ApiKey api = ApiKey.forId(apiKey);
    if (api != null && api.isFlexible(apiVersion)) {
      out.writeUnsignedVarint(0);
    }
  }
}
