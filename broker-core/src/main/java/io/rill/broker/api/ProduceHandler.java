package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ProduceOutcome;
import io.rill.metadata.controller.TopicNames;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Produce (v3-12): appends each partition's batches and answers per partition with the base
 * offset, LogAppendTime and log start offset, or the error the client acts on —
 * CORRUPT_MESSAGE (bad CRC, malformed or missing batch), MESSAGE_TOO_LARGE, INVALID_TOPIC_EXCEPTION
 * (illegal name, or an internal topic), UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER,
 * NOT_ENOUGH_REPLICAS, KAFKA_STORAGE_ERROR, and the idempotence errors. From v10 a
 * NOT_LEADER_OR_FOLLOWER names the partition's current leader, epoch and endpoint (KIP-951), so
 * the producer retries there without a Metadata round trip.
 *
 * <p>acks=0 gets no response at all (the client expects none); acks=1 is answered once the
 * batches are in the leader's log; acks=all once the high watermark has passed them, i.e. every
 * in-sync replica has them (a {@link DelayedProduce} in the produce purgatory, bounded by the
 * request's timeout). The records are appended from the request buffer in place: no copy.
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
    Map<TopicPartition, ProduceOutcome> outcomes = new LinkedHashMap<>();
    Map<TopicPartition, DelayedProduce.Pending> waiting = new LinkedHashMap<>();
    for (Struct topic : request.get(ProduceRequest.TOPIC_DATA)) {
      String name = topic.get(ProduceRequest.TOPIC_NAME);
      for (Struct partition : topic.get(ProduceRequest.PARTITION_DATA)) {
        TopicPartition tp = new TopicPartition(name,
            partition.getInt(ProduceRequest.PARTITION_INDEX));
        int leaderEpoch = services.replicas().partition(tp).map(p -> p.leaderEpoch()).orElse(-1);
        ProduceOutcome outcome = append(tp, partition.get(ProduceRequest.RECORDS), acks);
        outcomes.put(tp, outcome);
        if (acks == -1 && outcome.error() == Errors.NONE) {
          waiting.put(tp, new DelayedProduce.Pending(tp, outcome, leaderEpoch,
              services.topicConfigs().minInsyncReplicas(tp.topic())));
        }
      }
    }
    if (acks == 0) {
      ctx.noResponse();
      return;
    }
    if (waiting.isEmpty()) {
      ctx.respond(response(ctx, outcomes));
      return;
    }
    DelayedProduce delayed = new DelayedProduce(
        Math.max(0, request.getInt(ProduceRequest.TIMEOUT_MS)), services.replicas(), waiting,
        replicated -> {
          Map<TopicPartition, ProduceOutcome> all = new LinkedHashMap<>(outcomes);
          all.putAll(replicated);
          ctx.respond(response(ctx, all));
        });
    services.replicas().producePurgatory().tryCompleteElseWatch(delayed,
        new ArrayList<>(waiting.keySet()));
  }

  /**
   * The answer per partition, in request order. From v10 a NOT_LEADER_OR_FOLLOWER carries the
   * partition's current leader and epoch, and the response the endpoints of those leaders
   * (KIP-951).
   */
  private Struct response(RequestContext ctx, Map<TopicPartition, ProduceOutcome> outcomes) {
    Optional<LeaderHints> hints = LeaderHints.forRequest(LeaderHints.PRODUCE, services, ctx);
    Struct response = new Struct(ProduceResponse.SCHEMA);
    Struct topicResponse = null;
    String topic = null;
    for (Map.Entry<TopicPartition, ProduceOutcome> e : outcomes.entrySet()) {
      if (topicResponse == null || !e.getKey().topic().equals(topic)) {
        topic = e.getKey().topic();
        topicResponse = response.addElement(ProduceResponse.RESPONSES)
            .set(ProduceResponse.TOPIC_NAME, topic);
      }
      Struct partition = addPartition(topicResponse, e.getKey().partition(), e.getValue());
      hints.ifPresent(h -> h.annotate(partition, e.getKey(), e.getValue().error()));
    }
    hints.ifPresent(h -> h.addEndpoints(response));
    return response;
  }

  private ProduceOutcome append(TopicPartition tp, Object records, short acks) {
    String topic = tp.topic();
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
    return services.replicas().append(tp, buffer, acks,
        services.topicConfigs().minInsyncReplicas(topic));
  }

  private static Struct addPartition(Struct topicResponse, int index, ProduceOutcome outcome) {
    return topicResponse.addElement(ProduceResponse.PARTITION_RESPONSES)
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
