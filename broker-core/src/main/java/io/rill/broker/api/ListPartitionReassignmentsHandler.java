package io.rill.broker.api;

import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ListPartitionReassignmentsRequest;
import io.rill.protocol.message.ListPartitionReassignmentsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ListPartitionReassignments (v0): the reassignments in progress, read from this broker's
 * metadata image (every broker holds the whole image; a reassignment this client just started
 * is in it, since AlterPartitionReassignments answers once the broker has applied it). Unknown
 * topics and partitions are left out, as Kafka's controller does.
 */
final class ListPartitionReassignmentsHandler implements ApiHandler {
  private final BrokerServices services;

  ListPartitionReassignmentsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    MetadataImage image = services.metadata().image();
    Struct response = new Struct(ListPartitionReassignmentsResponse.SCHEMA)
        .set(ListPartitionReassignmentsResponse.ERROR_CODE, Errors.NONE.code);
    List<Struct> asked = request.get(ListPartitionReassignmentsRequest.TOPICS);
    if (asked == null) {
      for (TopicImage t : image.topics().values()) {
        List<Integer> all = new ArrayList<>();
        for (int p = 0; p < t.numPartitions(); p++) {
          all.add(p);
        }
        addTopic(response, t, all);
      }
    } else {
      for (Struct a : asked) {
        Optional<TopicImage> t = image.topic(a.get(ListPartitionReassignmentsRequest.NAME));
        t.ifPresent(topic -> addTopic(response, topic,
            a.get(ListPartitionReassignmentsRequest.PARTITION_INDEXES)));
      }
    }
    ctx.respond(response);
  }

  private static void addTopic(Struct response, TopicImage t, List<Integer> partitions) {
    Struct topic = new Struct(ListPartitionReassignmentsResponse.TOPIC)
        .set(ListPartitionReassignmentsResponse.NAME, t.name());
    for (int p : partitions) {
      if (p < 0 || p >= t.numPartitions() || !t.partition(p).reassigning()) {
        continue;
      }
      PartitionRegistration part = t.partition(p);
      topic.get(ListPartitionReassignmentsResponse.PARTITIONS).add(
          new Struct(ListPartitionReassignmentsResponse.PARTITION)
              .set(ListPartitionReassignmentsResponse.PARTITION_INDEX, p)
              .set(ListPartitionReassignmentsResponse.REPLICAS, part.replicas())
              .set(ListPartitionReassignmentsResponse.ADDING_REPLICAS, part.addingReplicas())
              .set(ListPartitionReassignmentsResponse.REMOVING_REPLICAS,
                  part.removingReplicas()));
    }
    if (!topic.get(ListPartitionReassignmentsResponse.PARTITIONS).isEmpty()) {
      response.get(ListPartitionReassignmentsResponse.TOPICS).add(topic);
    }
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    return new Struct(ListPartitionReassignmentsResponse.SCHEMA)
        .set(ListPartitionReassignmentsResponse.ERROR_CODE, error.code);
  }
}
