package io.rill.broker.api;

import io.rill.protocol.Errors;
import io.rill.protocol.schema.Struct;

/**
 * Serves one API. {@link #handle} finishes the request through its context — at once, or later
 * from a purgatory or a metadata-quorum callback; {@link #errorResponse} builds the body that
 * answers a whole request with one error (used when the handler fails or the version is
 * advertised but not served).
 *
 * <p>Called on handler threads; implementations keep no per-request state in fields.
 */
public interface ApiHandler {
  void handle(RequestContext ctx, Struct request);

  Struct errorResponse(RequestContext ctx, Struct request, Errors error);
}
