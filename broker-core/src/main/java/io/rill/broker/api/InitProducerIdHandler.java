package io.rill.broker.api;

import io.rill.protocol.Errors;
import io.rill.protocol.message.InitProducerIdRequest;
import io.rill.protocol.message.InitProducerIdResponse;
import io.rill.protocol.schema.Struct;

/**
 * InitProducerId (v0-5) for idempotent producers: a fresh producer id, unique in the cluster,
 * with epoch 0. (The Java client bumps the epoch of a non-transactional producer itself.)
 * Transactions are not served: a transactional id is refused with INVALID_REQUEST — never
 * NOT_COORDINATOR, which would send the client looking for a transaction coordinator forever.
 */
final class InitProducerIdHandler implements ApiHandler {
  private final BrokerServices services;

  InitProducerIdHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    if (request.get(InitProducerIdRequest.TRANSACTIONAL_ID) != null) {
      ctx.respond(errorResponse(ctx, request, Errors.INVALID_REQUEST));
      return;
    }
    services.producerIds().nextProducerId().whenComplete((id, error) -> {
      if (error != null) {
        ctx.respond(errorResponse(ctx, request, Errors.COORDINATOR_LOAD_IN_PROGRESS));
      } else {
        ctx.respond(new Struct(InitProducerIdResponse.SCHEMA)
            .set(InitProducerIdResponse.PRODUCER_ID, id)
            .set(InitProducerIdResponse.PRODUCER_EPOCH, (short) 0));
      }
    });
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return new Struct(InitProducerIdResponse.SCHEMA)
        .set(InitProducerIdResponse.ERROR_CODE, error.code)
        .set(InitProducerIdResponse.PRODUCER_EPOCH, (short) -1);
  }
}
