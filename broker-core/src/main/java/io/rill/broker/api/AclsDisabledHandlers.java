package io.rill.broker.api;

import io.rill.protocol.Errors;
import io.rill.protocol.message.CreateAclsRequest;
import io.rill.protocol.message.CreateAclsResponse;
import io.rill.protocol.message.DescribeAclsResponse;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeAcls and CreateAcls while Rill has no authorizer: SECURITY_DISABLED, as a Kafka broker
 * without {@code authorizer.class.name} answers (MirrorMaker 2 asks for ACLs at start and carries
 * on when told security is off). CreateAcls answers once per creation, in order.
 */
final class AclsDisabledHandlers {
  static final String MESSAGE = "No Authorizer is configured.";

  private AclsDisabledHandlers() {}

  /** Answers every request with its error response for SECURITY_DISABLED. */
  private abstract static class Disabled implements ApiHandler {
    @Override
    public final void handle(RequestContext ctx, Struct request) {
      ctx.respond(errorResponse(ctx, request, Errors.SECURITY_DISABLED));
    }
  }

  /** DescribeAcls: SECURITY_DISABLED and no resources. */
  static final class Describe extends Disabled {
    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return new Struct(DescribeAclsResponse.SCHEMA)
          .set(DescribeAclsResponse.ERROR_CODE, error.code)
          .set(DescribeAclsResponse.ERROR_MESSAGE,
              error == Errors.SECURITY_DISABLED ? MESSAGE : null);
    }
  }

  /** CreateAcls: SECURITY_DISABLED for every creation. */
  static final class Create extends Disabled {
    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      Struct response = new Struct(CreateAclsResponse.SCHEMA);
      List<Struct> creations = request.get(CreateAclsRequest.CREATIONS);
      for (int i = 0; i < creations.size(); i++) {
        response.addElement(CreateAclsResponse.RESULTS)
            .set(CreateAclsResponse.ERROR_CODE, error.code)
            .set(CreateAclsResponse.ERROR_MESSAGE,
                error == Errors.SECURITY_DISABLED ? MESSAGE : null);
      }
      return response;
    }
  }
}
