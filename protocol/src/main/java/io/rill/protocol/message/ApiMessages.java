package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import io.rill.protocol.ProtocolException;
import io.rill.protocol.header.RequestHeader;
import io.rill.protocol.header.ResponseHeader;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The message schemas of every served API, and the one place that frames a request or response
 * (header + body) at a version. Registered by API family so each family's file stays small.
 *
 * <p>Immutable after class initialisation; thread-safe.
 */
public final class ApiMessages {
  private static final Map<ApiKey, ApiSchemas> SCHEMAS = new EnumMap<>(ApiKey.class);

  static {
    ClientApiMessages.registerAll(SCHEMAS);
    GroupApiMessages.registerAll(SCHEMAS);
    AdminApiMessages.registerAll(SCHEMAS);
  }

  private ApiMessages() {}

  public static ApiSchemas schemas(ApiKey api) {
    ApiSchemas s = SCHEMAS.get(api);
    Checks.state(s != null, "no schemas registered for %s", api);
    return s;
  }

  public static boolean isRegistered(ApiKey api) {
    return SCHEMAS.containsKey(api);
  }

  /** Decodes a request body that follows a parsed header; the whole body must be consumed. */
  public static Struct decodeRequest(ApiKey api, short version, WireReader in) {
    Struct body = Codec.read(schemas(api).request(), version, api.isFlexible(version), in);
    if (in.remaining() != 0) {
      throw new ProtocolException(api.title + " v" + version + " request has " + in.remaining()
          + " bytes after its body");
    }
    return body;
  }

  public static Struct decodeResponse(ApiKey api, short version, WireReader in) {
    return Codec.read(schemas(api).response(), version, api.isFlexible(version), in);
  }

  /** Writes a response header and body (record data may stay external: see WireWriter). */
  public static WireWriter encodeResponse(
      ApiKey api, short version, int correlationId, Struct body) {
    WireWriter out = new WireWriter();
    ResponseHeader.write(api, version, correlationId, out);
    Codec.write(body, version, api.isFlexible(version), out);
    return out;
  }

  /** Writes a request header and body (what clients and our CLI send). */
  public static WireWriter encodeRequest(
      ApiKey api, short version, int correlationId, String clientId, Struct body) {
    WireWriter out = new WireWriter();
    new RequestHeader(api.id, version, correlationId, clientId).write(out);
    Codec.write(body, version, api.isFlexible(version), out);
    return out;
  }

  /** Encodes only a body, e.g. to compare with another implementation's bytes. */
  public static ByteBuffer encodeBody(ApiKey api, short version, Struct body, boolean request) {
    ApiSchemas s = schemas(api);
    Checks.argument(body.schema() == (request ? s.request() : s.response()), "schema mismatch");
    WireWriter out = new WireWriter();
    Codec.write(body, version, api.isFlexible(version), out);
    return out.toByteBuffer();
  }
}
