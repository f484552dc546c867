package io.rill.broker.api;

import io.rill.protocol.Errors;
import io.rill.protocol.message.UnregisterBrokerRequest;
import io.rill.protocol.message.UnregisterBrokerResponse;
import io.rill.protocol.schema.Struct;

/**
 * UnregisterBroker (v0), as {@code kafka-cluster unregister} uses it: the quorum removes the
 * broker's registration after moving its leaderships and ISR places (ClusterControl). Meant for
 * a broker that is gone for good; drain it first (reassign its replicas away).
 */
final class UnregisterBrokerHandler implements ApiHandler {
  private final BrokerServices services;

  UnregisterBrokerHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    io.rill.metadata.command.UnregisterBrokerRequest command =
        io.rill.metadata.command.UnregisterBrokerRequest.newBuilder()
            .setBrokerId(request.getInt(UnregisterBrokerRequest.BROKER_ID)).build();
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(), services.controller().unregisterBroker(command)),
        QuorumReplies.ADMIN_TIMEOUT_MS,
        decided -> response(Errors.forCode((short) decided.getErrorCode()),
            decided.getErrorMessage().isEmpty() ? null : decided.getErrorMessage()),
        failure -> response(failure.error(), failure.message()));
  }

  private static Struct response(Errors error, String message) {
    return new Struct(UnregisterBrokerResponse.SCHEMA)
        .set(UnregisterBrokerResponse.ERROR_CODE, error.code)
        .set(UnregisterBrokerResponse.ERROR_MESSAGE, message);
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return response(error, null);
  }
}
