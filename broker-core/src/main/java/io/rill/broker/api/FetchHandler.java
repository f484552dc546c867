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
import java.util.Objects;
import java.util.Optional;

/**
 * Fetch (v4-17) for consumers (a follower's fetch goes to {@link FollowerFetches}): whole batches from each partition's fetch offset up to the high
 * watermark, sent from the segment files by zero-copy transfer. A full response lists exactly the
 * requested partitions (Java drops a full response that does not), never null records (librdkafka
 * fails on them) and preferred read replica -1.
 *
 * <p>Fetch sessions (KIP-227, v7+): a fetch with session epoch 0 is full and opens a session
 * (its id is in the response; none when the cache is full), epoch -1 is full and sessionless
 * (librdkafka and kafkajs always send that) and closes the session it names. A later fetch
 * carries the session's next epoch and only the partitions that changed or are forgotten; its
 * response carries only partitions with records, new watermarks or an error. An unknown session
 * gets FETCH_SESSION_ID_NOT_FOUND, a wrong epoch INVALID_FETCH_SESSION_EPOCH, a session used
 * across the v13 switch to topic ids FETCH_SESSION_TOPIC_ID_ERROR; the client then starts over
 * with a full fetch.
 *
 * <p>Byte limits (KIP-74): each partition gets at most its partition max bytes and what is left
 * of the response's max bytes (the request's, capped by the broker's {@code fetch.max.bytes}),
 * but the first batch returned is always whole even when it is larger, so a consumer never
 * stalls on a big record. When less than min.bytes is available the fetch parks in the
 * purgatory until an append or max.wait.ms completes it.
 *
 * <p>From v16 a partition answered NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH names its
 * current leader, epoch and endpoint (KIP-951), so the consumer moves without a Metadata round
 * trip.
 */
final class FetchHandler implements ApiHandler {
  private final BrokerServices services;
  private final FollowerFetches followers;
  private final FetchSessionCache sessions;
  /** The broker's cap on a response's bytes ({@code fetch.max.bytes}) below the request's own. */
  private final int brokerMaxBytes;

  FetchHandler(BrokerServices services) {
    this.services = services;
    this.followers = new FollowerFetches(services);
    this.brokerMaxBytes = services.config().getInt("fetch.max.bytes");
    this.sessions = new FetchSessionCache(
        services.config().getInt("max.incremental.fetch.session.cache.slots"), System::nanoTime);
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    int replicaId = FollowerFetches.replicaId(ctx, request);
    if (replicaId >= 0) {
      followers.handle(ctx, request, replicaId);
      return;
    }
    int sessionId = request.getInt(FetchRequest.SESSION_ID);
    int epoch = request.getInt(FetchRequest.SESSION_EPOCH);
    boolean usesTopicIds = ctx.version() >= 13;
    int maxBytes = Math.min(request.getInt(FetchRequest.MAX_BYTES), brokerMaxBytes);
    List<FetchPartition> partitions;
    Runnable respond;
    if (epoch == FetchSession.INITIAL_EPOCH || epoch == FetchSession.FINAL_EPOCH) {
      if (sessionId != 0) {
        sessions.remove(sessionId);
      }
      partitions = resolve(usesTopicIds, requested(request));
      List<FetchPartition> full = partitions;
      respond = epoch == FetchSession.FINAL_EPOCH
          ? () -> ctx.respond(response(ctx, read(full, maxBytes), 0))
          : () -> ctx.respond(openSession(ctx, usesTopicIds, full, read(full, maxBytes)));
    } else {
      FetchSession session = sessions.get(sessionId).orElse(null);
      Errors refused = null;
      if (session == null) {
        refused = Errors.FETCH_SESSION_ID_NOT_FOUND;
      } else if (session.usesTopicIds() != usesTopicIds) {
        refused = Errors.FETCH_SESSION_TOPIC_ID_ERROR;
      } else if (!session.update(epoch, requested(request), forgotten(request, usesTopicIds),
          System.nanoTime())) {
        refused = Errors.INVALID_FETCH_SESSION_EPOCH;
      }
      if (refused != null) {
        ctx.respond(topLevelError(refused));
        return;
      }
      partitions = resolve(usesTopicIds, session.partitions());
      List<FetchPartition> all = partitions;
      respond = () -> ctx.respond(
          response(ctx, session.newsIn(read(all, maxBytes)), session.id()));
    }
    int maxWaitMs = request.getInt(FetchRequest.MAX_WAIT_MS);
    int minBytes = request.getInt(FetchRequest.MIN_BYTES);
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

  /** The full response of a session's first fetch, with the new session's id if one was free. */
  private Struct openSession(RequestContext ctx, boolean usesTopicIds,
      List<FetchPartition> partitions, List<FetchedPartition> fetched) {
    Optional<FetchSession> session = sessions.create(usesTopicIds, partitions);
    session.ifPresent(s -> s.sent(fetched));
    return response(ctx, fetched, session.map(FetchSession::id).orElse(0));
  }

  /** The partitions as the request names them (topic by name before v13, by id from v13). */
  private static List<FetchPartition> requested(Struct request) {
    List<FetchPartition> out = new ArrayList<>();
    for (Struct topic : request.get(FetchRequest.TOPICS)) {
      for (Struct p : topic.get(FetchRequest.PARTITIONS)) {
        out.add(new FetchPartition(topic.get(FetchRequest.TOPIC),
            topic.get(FetchRequest.TOPIC_ID), p.getInt(FetchRequest.PARTITION),
            p.getLong(FetchRequest.FETCH_OFFSET), p.getInt(FetchRequest.PARTITION_MAX_BYTES),
            p.getInt(FetchRequest.CURRENT_LEADER_EPOCH), null));
      }
    }
    return out;
  }

  private static List<FetchSession.Key> forgotten(Struct request, boolean usesTopicIds) {
    List<FetchSession.Key> out = new ArrayList<>();
    for (Struct topic : request.get(FetchRequest.FORGOTTEN_TOPICS_DATA)) {
      Object key = usesTopicIds ? topic.get(FetchRequest.FORGOTTEN_TOPIC_ID)
          : topic.get(FetchRequest.FORGOTTEN_TOPIC);
      for (int partition : topic.get(FetchRequest.FORGOTTEN_PARTITIONS)) {
        out.add(new FetchSession.Key(key, partition));
      }
    }
    return out;
  }

  /**
   * Each partition against the current metadata: its topic's name, or the error when the topic
   * (by id from v13, by name before) is unknown. Done on every fetch, also for a session's
   * cached partitions, so a deleted or re-created topic is noticed.
   */
  private List<FetchPartition> resolve(boolean byId, List<FetchPartition> requested) {
    MetadataImage image = services.metadata().image();
    Errors unknown = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
    List<FetchPartition> out = new ArrayList<>(requested.size());
    for (FetchPartition p : requested) {
      Optional<TopicImage> found = byId ? image.topic(p.topicId()) : image.topic(p.topicName());
      out.add(new FetchPartition(found.map(TopicImage::name).orElse(p.topicName()), p.topicId(),
          p.partition(), p.fetchOffset(), p.partitionMaxBytes(), p.currentLeaderEpoch(),
          found.isPresent() ? null : unknown));
    }
    return out;
  }

  /** Reads every partition, in order, within the response's byte budget. */
  private List<FetchedPartition> read(List<FetchPartition> partitions, int maxBytes) {
    List<FetchedPartition> out = new ArrayList<>(partitions.size());
    int remaining = maxBytes;
    boolean gotData = false;
    for (FetchPartition p : partitions) {
      PartitionRead read = readOne(p, Math.min(p.partitionMaxBytes(), Math.max(remaining, 0)),
          !gotData);
      remaining -= read.sizeInBytes();
      gotData |= read.sizeInBytes() > 0;
      out.add(new FetchedPartition(p, read));
    }
    return out;
  }

  /**
   * The response to {@code fetched}, grouped by topic in order. From v16 a NOT_LEADER_OR_FOLLOWER
   * or FENCED_LEADER_EPOCH carries the partition's current leader and epoch, and the response the
   * endpoints of those leaders (KIP-951).
   */
  private Struct response(RequestContext ctx, List<FetchedPartition> fetched, int sessionId) {
    Optional<LeaderHints> hints = LeaderHints.forRequest(LeaderHints.FETCH, services, ctx);
    Struct response = new Struct(FetchResponse.SCHEMA).set(FetchResponse.SESSION_ID, sessionId);
    Struct topicEntry = null;
    FetchPartition last = null;
    for (FetchedPartition f : fetched) {
      FetchPartition p = f.request();
      if (last == null || !Objects.equals(p.topicName(), last.topicName())
          || !Objects.equals(p.topicId(), last.topicId())) {
        topicEntry = response.addElement(FetchResponse.RESPONSES)
            .set(FetchResponse.TOPIC, p.topicName()).set(FetchResponse.TOPIC_ID, p.topicId());
      }
      last = p;
      Struct entry = addPartition(topicEntry, p.partition(), f.read());
      hints.ifPresent(h -> h.annotate(entry, p.topicPartition(), f.read().error()));
    }
    hints.ifPresent(h -> h.addEndpoints(response));
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

  private static Struct addPartition(Struct topic, int partition, PartitionRead read) {
    Struct entry = topic.addElement(FetchResponse.PARTITIONS)
        .set(FetchResponse.PARTITION_INDEX, partition)
        .set(FetchResponse.PARTITION_ERROR_CODE, read.error().code)
        .set(FetchResponse.HIGH_WATERMARK, read.highWatermark())
        .set(FetchResponse.LAST_STABLE_OFFSET, read.highWatermark())
        .set(FetchResponse.LOG_START_OFFSET, read.logStartOffset())
        .set(FetchResponse.PREFERRED_READ_REPLICA, -1);
    entry.set(FetchResponse.RECORDS,
        read.sizeInBytes() > 0 ? read.records() : ByteBuffer.allocate(0));
    return entry;
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
