package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ProduceOutcome;
import io.rill.metadata.controller.TopicNames;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Produce (v3-12): appends each partition's batches and answers per partition with the base
 * offset, LogAppendTime and log start offset, or the error the client acts on —
 * CORRUPT_MESSAGE (bad CRC, malformed or missing batch), MESSAGE_TOO_LARGE, INVALID_TOPIC_EXCEPTION
 * (illegal name, or an internal topic), UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER,
 * NOT_ENOUGH_REPLICAS, KAFKA_STORAGE_ERROR, and the idempotence errors.
 *
 * <p>acks=0 gets no response at all (the client expects none); acks=1 and acks=all are answered
 * once the batches are in the log — with this replica alone in the ISR, the high watermark has
 * then passed them. The records are appended from the request buffer in place: no copy.
 */
final class ProduceHandler implements ApiHandler {
  private final BrokerServices services;

  ProduceHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    short acks = request.get(ProduceRequest.ACKS);
    if (acks != 0 && acks != 1 && acks != -1) {
      ctx.respond(errorResponse(ctx, request, Errors.INVALID_REQUIRED_ACKS));
      return;
    }
    Struct response = new Struct(ProduceResponse.SCHEMA);
    for (Struct topic : request.get(ProduceRequest.TOPIC_DATA)) {
      String name = topic.get(ProduceRequest.TOPIC_NAME);
      Struct topicResponse = response.addElement(ProduceResponse.RESPONSES)
          .set(ProduceResponse.TOPIC_NAME, name);
      for (Struct partition : topic.get(ProduceRequest.PARTITION_DATA)) {
        int index = partition.getInt(ProduceRequest.PARTITION_INDEX);
        ProduceOutcome outcome = append(name, index, partition.get(ProduceRequest.RECORDS), acks);
        addPartition(topicResponse, index, outcome);
      }
    }
    if (acks == 0) {
      ctx.noResponse();
    } else {
      ctx.respond(response);
    }
  }

  private ProduceOutcome append(String topic, int partition, Object records, short acks) {
    if (TopicNames.validate(topic).isPresent()) {
      return ProduceOutcome.error(Errors.INVALID_TOPIC_EXCEPTION, "illegal topic name");
    }
    if (topic.equals(MetadataHandler.OFFSETS_TOPIC)) {
      return ProduceOutcome.error(Errors.INVALID_TOPIC_EXCEPTION,
          "clients may not write to the internal topic " + topic);
    }
    if (!(records instanceof ByteBuffer buffer) || !buffer.hasRemaining()) {
      return ProduceOutcome.error(Errors.CORRUPT_MESSAGE, "the request holds no record batch");
    }
    if (services.metadata().image().topic(topic).isEmpty()) {
      return ProduceOutcome.error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "unknown topic " + topic);
    }
    return services.replicas().append(new TopicPartition(topic, partition), buffer, acks,
        services.topicConfigs().minInsyncReplicas(topic));
  }

  private static void addPartition(Struct topicResponse, int index, ProduceOutcome outcome) {
    topicResponse.addElement(ProduceResponse.PARTITION_RESPONSES)
        .set(ProduceResponse.PARTITION_INDEX, index)
        .set(ProduceResponse.ERROR_CODE, outcome.error().code)
        .set(ProduceResponse.BASE_OFFSET, outcome.baseOffset())
        .set(ProduceResponse.LOG_APPEND_TIME_MS, outcome.logAppendTimeMs())
        .set(ProduceResponse.LOG_START_OFFSET, outcome.logStartOffset())
        .set(ProduceResponse.ERROR_MESSAGE, outcome.message());
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(ProduceResponse.SCHEMA);
    List<Struct> topics = request.get(ProduceRequest.TOPIC_DATA);
    for (Struct topic : topics) {
      Struct t = response.addElement(ProduceResponse.RESPONSES)
          .set(ProduceResponse.TOPIC_NAME, topic.get(ProduceRequest.TOPIC_NAME));
      for (Struct p : topic.get(ProduceRequest.PARTITION_DATA)) {
        addPartition(t, p.getInt(ProduceRequest.PARTITION_INDEX),
            ProduceOutcome.error(error, null));
      }
    }
    return response;
  }
}
