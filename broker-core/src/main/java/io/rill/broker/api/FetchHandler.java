package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.PartitionRead;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fetch (v4-17) for consumers: whole batches from each partition's fetch offset up to the high
 * watermark, sent from the segment files by zero-copy transfer. The response lists exactly the
 * requested partitions (Java drops a full response that does not), never null records (librdkafka
 * fails on them), session id 0 (no fetch sessions: clients then send full fetches) and
 * preferred read replica -1.
 *
 * <p>Byte limits (KIP-74): each partition gets at most its partition max bytes and what is left
 * of the response's max bytes, but the first batch returned is always whole even when it is
 * larger, so a consumer never stalls on a big record. When less than min.bytes is available the
 * fetch parks in the purgatory until an append or max.wait.ms completes it.
 */
final class FetchHandler implements ApiHandler {
  private final BrokerServices services;

  FetchHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    if (request.getInt(FetchRequest.SESSION_ID) != 0) {
      ctx.respond(topLevelError(Errors.FETCH_SESSION_ID_NOT_FOUND));
      return;
    }
    List<FetchPartition> partitions = resolve(ctx, request);
    int maxWaitMs = request.getInt(FetchRequest.MAX_WAIT_MS);
    int minBytes = request.getInt(FetchRequest.MIN_BYTES);
    int maxBytes = request.getInt(FetchRequest.MAX_BYTES);
    Runnable respond = () -> ctx.respond(read(ctx, partitions, maxBytes));
    if (maxWaitMs <= 0 || minBytes <= 0 || partitions.isEmpty()) {
      respond.run();
      return;
    }
    DelayedFetch delayed = new DelayedFetch(maxWaitMs, partitions, minBytes, services.replicas(),
        respond);
    List<TopicPartition> keys = partitions.stream().filter(p -> p.error() == null)
        .map(FetchPartition::topicPartition).toList();
    services.replicas().fetchPurgatory().tryCompleteElseWatch(delayed, keys);
  }

  private List<FetchPartition> resolve(RequestContext ctx, Struct request) {
    MetadataImage image = services.quorum().image();
    boolean byId = ctx.version() >= 13;
    List<FetchPartition> out = new ArrayList<>();
    for (Struct topic : request.get(FetchRequest.TOPICS)) {
      UUID id = topic.get(FetchRequest.TOPIC_ID);
      Optional<TopicImage> found = byId ? image.topic(id)
          : image.topic(topic.get(FetchRequest.TOPIC));
      String name = found.map(TopicImage::name).orElse(topic.get(FetchRequest.TOPIC));
      Errors unknown = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
      for (Struct p : topic.get(FetchRequest.PARTITIONS)) {
        out.add(new FetchPartition(name, id, p.getInt(FetchRequest.PARTITION),
            p.getLong(FetchRequest.FETCH_OFFSET), p.getInt(FetchRequest.PARTITION_MAX_BYTES),
            p.getInt(FetchRequest.CURRENT_LEADER_EPOCH), found.isPresent() ? null : unknown));
      }
    }
    return out;
  }

  private Struct read(RequestContext ctx, List<FetchPartition> partitions, int maxBytes) {
    Struct response = new Struct(FetchResponse.SCHEMA);
    int remaining = maxBytes;
    boolean gotData = false;
    Struct topicEntry = null;
    String lastTopic = null;
    for (FetchPartition p : partitions) {
      if (topicEntry == null || !p.topicName().equals(lastTopic)) {
        topicEntry = response.addElement(FetchResponse.RESPONSES)
            .set(FetchResponse.TOPIC, p.topicName()).set(FetchResponse.TOPIC_ID, p.topicId());
        lastTopic = p.topicName();
      }
      PartitionRead read = readOne(p, Math.min(p.partitionMaxBytes(), Math.max(remaining, 0)),
          !gotData);
      remaining -= read.sizeInBytes();
      gotData |= read.sizeInBytes() > 0;
      addPartition(topicEntry, p.partition(), read);
    }
    return response;
  }

  private PartitionRead readOne(FetchPartition p, int limit, boolean minOneBatch) {
    if (p.error() != null) {
      return PartitionRead.error(p.error(), null);
    }
    Optional<Partition> partition = services.replicas().partition(p.topicPartition());
    if (partition.isPresent() && p.currentLeaderEpoch() >= 0) {
      int epoch = partition.get().leaderEpoch();
      if (p.currentLeaderEpoch() < epoch) {
        return PartitionRead.error(Errors.FENCED_LEADER_EPOCH, null);
      }
      if (p.currentLeaderEpoch() > epoch) {
        return PartitionRead.error(Errors.UNKNOWN_LEADER_EPOCH, null);
      }
    }
    return services.replicas().read(p.topicPartition(), p.fetchOffset(), limit, minOneBatch);
  }

  private static void addPartition(Struct topic, int partition, PartitionRead read) {
    Struct entry = topic.addElement(FetchResponse.PARTITIONS)
        .set(FetchResponse.PARTITION_INDEX, partition)
        .set(FetchResponse.PARTITION_ERROR_CODE, read.error().code)
        .set(FetchResponse.HIGH_WATERMARK, read.highWatermark())
        .set(FetchResponse.LAST_STABLE_OFFSET, read.highWatermark())
        .set(FetchResponse.LOG_START_OFFSET, read.logStartOffset())
        .set(FetchResponse.PREFERRED_READ_REPLICA, -1);
    entry.set(FetchResponse.RECORDS,
        read.sizeInBytes() > 0 ? read.records() : ByteBuffer.allocate(0));
  }

  private static Struct topLevelError(Errors error) {
    return new Struct(FetchResponse.SCHEMA).set(FetchResponse.ERROR_CODE, error.code);
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = topLevelError(error);
    for (Struct topic : request.get(FetchRequest.TOPICS)) {
      Struct t = response.addElement(FetchResponse.RESPONSES)
          .set(FetchResponse.TOPIC, topic.get(FetchRequest.TOPIC))
          .set(FetchResponse.TOPIC_ID, topic.get(FetchRequest.TOPIC_ID));
      for (Struct p : topic.get(FetchRequest.PARTITIONS)) {
        addPartition(t, p.getInt(FetchRequest.PARTITION), PartitionRead.error(error, null));
      }
    }
    return response;
  }
}
