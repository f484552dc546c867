package io.rill.broker.api;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ApiVersionsResponse;
import io.rill.protocol.schema.Struct;
import java.util.Set;

/**
 * ApiVersions: the version ranges of exactly the APIs this broker has handlers for (a client
 * must never be offered an API it cannot use: the Admin client only falls back on its own
 * version check). A request newer than ours gets a v0 body with UNSUPPORTED_VERSION and the
 * same list, which clients parse before retrying (KIP-511).
 */
final class ApiVersionsHandler implements ApiHandler {
  private final Set<ApiKey> served;

  ApiVersionsHandler(Set<ApiKey> served) {
    this.served = served;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    ctx.respond(response(Errors.NONE));
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return response(error);
  }

  Struct unsupportedVersionResponse() {
    return response(Errors.UNSUPPORTED_VERSION);
  }

  private Struct response(Errors error) {
    Struct body = new Struct(ApiVersionsResponse.SCHEMA);
    body.set(ApiVersionsResponse.ERROR_CODE, error.code);
    for (ApiKey api : ApiKey.values()) {
      if (served.contains(api)) {
        body.addElement(ApiVersionsResponse.API_KEYS)
            .set(ApiVersionsResponse.API_KEY, api.id)
            .set(ApiVersionsResponse.MIN_VERSION, api.advertised.lowest())
            .set(ApiVersionsResponse.MAX_VERSION, api.advertised.highest());
      }
    }
    return body;
  }
}
