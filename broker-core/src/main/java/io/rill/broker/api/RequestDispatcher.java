package io.rill.broker.api;

import io.rill.broker.network.NetworkRequest;
import io.rill.broker.network.RequestHandler;
import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.ProtocolException;
import io.rill.protocol.header.RequestHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handler the network layer calls: parses the header, checks the version, decodes
 * the body and routes it to the {@link ApiHandler} of its API.
 *
 * <p>What happens to bad input (the broker keeps serving everyone else in every case):
 *
 * <ul>
 *   <li>A header that does not parse, or an API key we do not serve: the connection is closed
 *       (Kafka does the same — there is no way to frame an answer the client expects).
 *   <li>ApiVersions at a version newer than ours: a v0 body with UNSUPPORTED_VERSION and our
 *       ranges, so the client retries with one we speak (KIP-511).
 *   <li>A version we advertise but do not serve (Produce 0-2): the API's error response with
 *       UNSUPPORTED_VERSION. A version outside the advertised range: connection closed.
 *   <li>A body that does not decode: connection closed, with the reason logged.
 *   <li>A handler that throws: the API's error response with UNKNOWN_SERVER_ERROR.
 * </ul>
 *
 * <p>Stateless apart from the handler table; called concurrently by all handler threads.
 */
public final class RequestDispatcher implements RequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final Map<ApiKey, ApiHandler> handlers = new EnumMap<>(ApiKey.class);
  private final ApiVersionsHandler apiVersions = new ApiVersionsHandler(handlers.keySet());

  /** A dispatcher that serves ApiVersions (listing whatever else gets registered). */
  public RequestDispatcher() {
    handlers.put(ApiKey.API_VERSIONS, apiVersions);
  }

  public RequestDispatcher register(ApiKey api, ApiHandler handler) {
    handlers.put(api, handler);
    return this;
  }

  @Override
  public void handle(NetworkRequest request) {
    WireReader in = new WireReader(request.payload().duplicate());
    RequestHeader header;
    try {
      header = RequestHeader.read(in);
    } catch (ProtocolException e) {
      log.info("Closing {}: malformed request header: {}", request.clientAddress(), e.getMessage());
      request.closeConnection();
      return;
    }
    ApiKey api = ApiKey.forId(header.apiKey());
    ApiHandler handler = api == null ? null : handlers.get(api);
    if (handler == null) {
      log.info("Closing {}: unsupported API key {} (client {})", request.clientAddress(),
          header.apiKey(), header.clientId());
      request.closeConnection();
      return;
    }
    RequestContext ctx = new RequestContext(request, header, api);
    short version = header.apiVersion();
    if (!api.advertised.contains(version)) {
      if (api == ApiKey.API_VERSIONS) {
        ctx.respondAtVersion(apiVersions.unsupportedVersionResponse(), (short) 0);
      } else {
        log.info("Closing {}: {} v{} is outside the advertised {}", request.clientAddress(),
            api.title, version, api.advertised);
        request.closeConnection();
      }
      return;
    }
    Struct body;
    try {
      body = ApiMessages.decodeRequest(api, version, in);
    } catch (ProtocolException e) {
      log.info("Closing {}: malformed {} v{} request: {}", request.clientAddress(), api.title,
          version, e.getMessage());
      request.closeConnection();
      return;
    }
    if (!api.isServed(version)) {
      ctx.respond(handler.errorResponse(ctx, body, Errors.UNSUPPORTED_VERSION));
      return;
    }
    try {
      handler.handle(ctx, body);
    } catch (RuntimeException e) {
      log.error("Failed to handle {}", ctx, e);
      if (!ctx.isFinished()) {
        ctx.respond(handler.errorResponse(ctx, body, Errors.UNKNOWN_SERVER_ERROR));
      }
    }
  }
}
