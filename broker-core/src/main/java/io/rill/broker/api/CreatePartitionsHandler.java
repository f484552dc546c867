package io.rill.broker.api;

import static io.rill.protocol.message.CreatePartitionsResponse.RESULTS;

import io.rill.metadata.command.CreatePartitionsTopic;
import io.rill.metadata.command.CreatePartitionsTopicResult;
import io.rill.protocol.Errors;
import io.rill.protocol.message.CreatePartitionsRequest;
import io.rill.protocol.message.CreatePartitionsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;

/**
 * CreatePartitions (v0-3): raises topics' partition counts through the metadata quorum, which
 * refuses decreases and no-ops (INVALID_PARTITIONS), unknown topics and names given twice; the
 * new partitions are placed like a new topic's. {@code validateOnly} checks without changing
 * anything.
 *
 * <p>Manual placement of the new partitions (a non-null Assignments) is refused with
 * INVALID_REQUEST rather than silently placed otherwise: the quorum command has no field for it
 * yet. Every requested topic gets a result (librdkafka's suite checks the array is not empty).
 */
final class CreatePartitionsHandler implements ApiHandler {
  private final BrokerServices services;

  CreatePartitionsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    List<Struct> answered = new ArrayList<>();
    io.rill.metadata.command.CreatePartitionsRequest.Builder command =
        io.rill.metadata.command.CreatePartitionsRequest.newBuilder()
            .setValidateOnly(request.getBool(CreatePartitionsRequest.VALIDATE_ONLY));
    for (Struct t : request.get(CreatePartitionsRequest.TOPICS)) {
      String name = t.get(CreatePartitionsRequest.NAME);
      if (t.get(CreatePartitionsRequest.ASSIGNMENTS) != null) {
        answered.add(result(name, Errors.INVALID_REQUEST,
            "Manual assignment of new partitions is not supported; leave it to the broker."));
        continue;
      }
      command.addTopics(CreatePartitionsTopic.newBuilder().setName(name)
          .setCount(t.getInt(CreatePartitionsRequest.COUNT)));
    }
    if (command.getTopicsCount() == 0) {
      ctx.respond(response(answered));
      return;
    }
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(), services.controller().createPartitions(command.build())),
        QuorumReplies.boundedTimeoutMs(request.getInt(CreatePartitionsRequest.TIMEOUT_MS)),
        decided -> {
          Struct response = response(answered);
          for (CreatePartitionsTopicResult r : decided.getTopicsList()) {
            Errors error = Errors.forCode(r.getErrorCode());
            response.get(RESULTS).add(result(r.getName(), error,
                error == Errors.NONE ? null : r.getErrorMessage()));
          }
          return response;
        },
        failure -> {
          Struct response = response(answered);
          command.getTopicsList().forEach(t -> response.get(RESULTS)
              .add(result(t.getName(), failure.error(), failure.message())));
          return response;
        });
  }

  private static Struct result(String name, Errors error, String message) {
    return new Struct(CreatePartitionsResponse.TOPIC_RESULT)
        .set(CreatePartitionsResponse.NAME, name)
        .set(CreatePartitionsResponse.ERROR_CODE, error.code)
        .set(CreatePartitionsResponse.ERROR_MESSAGE, message);
  }

  private static Struct response(List<Struct> answered) {
    Struct response = new Struct(CreatePartitionsResponse.SCHEMA);
    response.get(RESULTS).addAll(answered);
    return response;
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(CreatePartitionsResponse.SCHEMA);
    request.get(CreatePartitionsRequest.TOPICS).forEach(t -> response.get(RESULTS)
        .add(result(t.get(CreatePartitionsRequest.NAME), error, null)));
    return response;
  }
}
