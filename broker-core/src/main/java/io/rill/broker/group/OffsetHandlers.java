package io.rill.broker.group;

import io.rill.broker.api.ApiHandler;
import io.rill.broker.api.BrokerServices;
import io.rill.broker.api.RequestContext;
import io.rill.broker.group.GroupCoordinatorManager.Lookup;
import io.rill.broker.log.TopicPartition;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.Errors;
import io.rill.protocol.message.OffsetCommitRequest;
import io.rill.protocol.message.OffsetCommitResponse;
import io.rill.protocol.message.OffsetDeleteRequest;
import io.rill.protocol.message.OffsetDeleteResponse;
import io.rill.protocol.message.OffsetFetchRequest;
import io.rill.protocol.message.OffsetFetchResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OffsetCommit, OffsetFetch (single group before v8, batched from v8) and OffsetDelete. A
 * fetched partition without a committed offset answers offset -1, leader epoch -1 and metadata
 * "" (never null: some clients do not expect it).
 *
 * <p>Stateless; called concurrently by handler threads.
 */
final class OffsetHandlers {
  private OffsetHandlers() {}

  static boolean topicPartitionExists(MetadataImage image, TopicPartition tp) {
    return image.topic(tp.topic()).map(t -> tp.partition() < t.numPartitions()).orElse(false);
  }

  static final class OffsetCommit implements ApiHandler {
    private final BrokerServices services;
    private final GroupCoordinatorManager groups;

    OffsetCommit(BrokerServices services, GroupCoordinatorManager groups) {
      this.services = services;
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      String groupId = request.get(OffsetCommitRequest.GROUP_ID);
      Lookup lookup = groups.coordinatorFor(groupId);
      if (lookup instanceof Lookup.NotReady n) {
        ctx.respond(errorResponse(ctx, request, n.error()));
        return;
      }
      MetadataImage image = services.metadata().image();
      Map<TopicPartition, Errors> results = new LinkedHashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
      for (Struct t : request.get(OffsetCommitRequest.TOPICS)) {
        String topic = t.get(OffsetCommitRequest.TOPIC_NAME);
        for (Struct p : t.get(OffsetCommitRequest.PARTITIONS)) {
          int index = p.getInt(OffsetCommitRequest.PARTITION_INDEX);
          if (index < 0 || topic == null || topic.isEmpty()) {
            continue; // not a partition; answered below as unknown
          }
          TopicPartition tp = new TopicPartition(topic, index);
          results.put(tp, Errors.NONE);
          if (topicPartitionExists(image, tp)) {
            offsets.put(tp, new OffsetAndMetadata(p.getLong(OffsetCommitRequest.COMMITTED_OFFSET),
                p.getInt(OffsetCommitRequest.COMMITTED_LEADER_EPOCH),
                p.get(OffsetCommitRequest.COMMITTED_METADATA), -1L));
          } else {
            results.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
          }
        }
      }
      if (!offsets.isEmpty()) {
        results.putAll(((Lookup.Ready) lookup).coordinator().commitOffsets(groupId,
            request.get(OffsetCommitRequest.MEMBER_ID),
            request.get(OffsetCommitRequest.GROUP_INSTANCE_ID),
            request.getInt(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH), offsets));
      }
      if (!results.containsValue(Errors.NONE)) {
        ctx.respond(response(request, results, null));
        return;
      }
      // A commit is acknowledged once the in-sync replicas of its __consumer_offsets partition
      // have it (acks=all), so it survives the loss of the coordinator's broker.
      groups.answerWhenReplicated(ctx, groupId,
          error -> response(request, error == null ? results : replace(results, error), null));
    }

    /** Every successful partition answered with {@code error} instead. */
    private static Map<TopicPartition, Errors> replace(Map<TopicPartition, Errors> results,
        Errors error) {
      Map<TopicPartition, Errors> out = new LinkedHashMap<>(results);
      out.replaceAll((tp, e) -> e == Errors.NONE ? error : e);
      return out;
    }

    /** Every requested partition answered: from {@code results}, else with {@code error}. */
    private static Struct response(Struct request, Map<TopicPartition, Errors> results,
        Errors error) {
      Struct response = new Struct(OffsetCommitResponse.SCHEMA);
      for (Struct t : request.get(OffsetCommitRequest.TOPICS)) {
        String topic = t.get(OffsetCommitRequest.TOPIC_NAME);
        Struct rt = response.addElement(OffsetCommitResponse.TOPICS)
            .set(OffsetCommitResponse.TOPIC_NAME, topic);
        for (Struct p : t.get(OffsetCommitRequest.PARTITIONS)) {
          int index = p.getInt(OffsetCommitRequest.PARTITION_INDEX);
          Errors e = error;
          if (e == null) {
            e = index < 0 || topic == null || topic.isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                : results.getOrDefault(new TopicPartition(topic, index),
                    Errors.UNKNOWN_TOPIC_OR_PARTITION);
          }
          rt.addElement(OffsetCommitResponse.PARTITIONS)
              .set(OffsetCommitResponse.PARTITION_INDEX, index)
              .set(OffsetCommitResponse.ERROR_CODE, e.code);
        }
      }
      return response;
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return response(request, Map.of(), error);
    }
  }

  static final class OffsetFetch implements ApiHandler {
    private final GroupCoordinatorManager groups;

    OffsetFetch(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    /** One group's answer: its error, else topic → partition → offset (null: none). */
    private record Fetched(Errors error, Map<String, Map<Integer, OffsetAndMetadata>> byTopic) {}

    @Override
    public void handle(RequestContext ctx, Struct request) {
      Struct response = new Struct(OffsetFetchResponse.SCHEMA);
      if (ctx.version() >= 8) {
        for (Struct g : request.get(OffsetFetchRequest.GROUPS)) {
          String groupId = g.get(OffsetFetchRequest.GROUP_GROUP_ID);
          writeBatched(response, groupId,
              fetch(groupId, requested(g.get(OffsetFetchRequest.GROUP_TOPICS), true), null));
        }
      } else {
        writeSingle(ctx, response, fetch(request.get(OffsetFetchRequest.GROUP_ID),
            requested(request.get(OffsetFetchRequest.TOPICS), false), null));
      }
      ctx.respond(response);
    }

    /** Topic → partitions requested, or null for "every committed offset". */
    private static Map<String, List<Integer>> requested(List<Struct> topics, boolean batched) {
      if (topics == null) {
        return null;
      }
      Map<String, List<Integer>> out = new LinkedHashMap<>();
      for (Struct t : topics) {
        String name = t.get(batched ? OffsetFetchRequest.GROUP_TOPIC_NAME
            : OffsetFetchRequest.TOPIC_NAME);
        out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(t.get(batched
            ? OffsetFetchRequest.GROUP_PARTITION_INDEXES : OffsetFetchRequest.PARTITION_INDEXES));
      }
      return out;
    }

    private Fetched fetch(String groupId, Map<String, List<Integer>> topics, Errors forced) {
      Errors error = forced == null ? Errors.NONE : forced;
      Map<TopicPartition, OffsetAndMetadata> found = Map.of();
      if (forced == null) {
        Lookup lookup = groups.coordinatorFor(groupId);
        if (lookup instanceof Lookup.NotReady n) {
          error = n.error();
        } else {
          found = ((Lookup.Ready) lookup).coordinator().fetchOffsets(groupId, wanted(topics));
        }
      }
      Map<String, Map<Integer, OffsetAndMetadata>> byTopic = new TreeMap<>();
      if (topics == null) {
        found.forEach((tp, o) -> byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>())
            .put(tp.partition(), o));
      } else {
        for (Map.Entry<String, List<Integer>> e : topics.entrySet()) {
          Map<Integer, OffsetAndMetadata> parts =
              byTopic.computeIfAbsent(e.getKey(), t -> new TreeMap<>());
          for (int p : e.getValue()) {
            parts.put(p, e.getKey().isEmpty() || p < 0 ? null
                : found.get(new TopicPartition(e.getKey(), p)));
          }
        }
      }
      return new Fetched(error, byTopic);
    }

    private static List<TopicPartition> wanted(Map<String, List<Integer>> topics) {
      if (topics == null) {
        return null;
      }
      List<TopicPartition> wanted = new ArrayList<>();
      topics.forEach((topic, parts) -> parts.stream().filter(p -> p >= 0 && !topic.isEmpty())
          .forEach(p -> wanted.add(new TopicPartition(topic, p))));
      return wanted;
    }

    /** v8+: a group-level error answers no partitions. */
    private static void writeBatched(Struct response, String groupId, Fetched f) {
      Struct group = response.addElement(OffsetFetchResponse.GROUPS)
          .set(OffsetFetchResponse.GROUP_ID, groupId)
          .set(OffsetFetchResponse.GROUP_ERROR_CODE, f.error().code);
      if (f.error() != Errors.NONE) {
        return;
      }
      f.byTopic().forEach((topic, parts) -> {
        Struct rt = group.addElement(OffsetFetchResponse.GROUP_TOPICS)
            .set(OffsetFetchResponse.GROUP_TOPIC_NAME, topic);
        parts.forEach((p, o) -> rt.addElement(OffsetFetchResponse.GROUP_PARTITIONS)
            .set(OffsetFetchResponse.GROUP_PARTITION_INDEX, p)
            .set(OffsetFetchResponse.GROUP_COMMITTED_OFFSET, o == null ? -1L : o.offset())
            .set(OffsetFetchResponse.GROUP_COMMITTED_LEADER_EPOCH,
                o == null ? OffsetAndMetadata.NO_LEADER_EPOCH : o.leaderEpoch())
            .set(OffsetFetchResponse.GROUP_METADATA, o == null ? "" : o.metadata())
            .set(OffsetFetchResponse.GROUP_PARTITION_ERROR_CODE, Errors.NONE.code));
      });
    }

    /** v1-7: the group error at the top (v2+) and on every partition (v1 has no top). */
    private static void writeSingle(RequestContext ctx, Struct response, Fetched f) {
      if (ctx.version() >= 2) {
        response.set(OffsetFetchResponse.ERROR_CODE, f.error().code);
      }
      f.byTopic().forEach((topic, parts) -> {
        Struct rt = response.addElement(OffsetFetchResponse.TOPICS)
            .set(OffsetFetchResponse.TOPIC_NAME, topic);
        parts.forEach((p, o) -> rt.addElement(OffsetFetchResponse.PARTITIONS)
            .set(OffsetFetchResponse.PARTITION_INDEX, p)
            .set(OffsetFetchResponse.COMMITTED_OFFSET, o == null ? -1L : o.offset())
            .set(OffsetFetchResponse.COMMITTED_LEADER_EPOCH,
                o == null ? OffsetAndMetadata.NO_LEADER_EPOCH : o.leaderEpoch())
            .set(OffsetFetchResponse.METADATA, o == null ? "" : o.metadata())
            .set(OffsetFetchResponse.PARTITION_ERROR_CODE, f.error().code));
      });
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      Struct response = new Struct(OffsetFetchResponse.SCHEMA);
      if (ctx.version() >= 8) {
        for (Struct g : request.get(OffsetFetchRequest.GROUPS)) {
          writeBatched(response, g.get(OffsetFetchRequest.GROUP_GROUP_ID),
              fetch(null, null, error));
        }
      } else {
        writeSingle(ctx, response, fetch(null,
            requested(request.get(OffsetFetchRequest.TOPICS), false), error));
      }
      return response;
    }
  }

  /** OffsetDelete (v0): only offsets the group no longer consumes may go. */
  static final class OffsetDelete implements ApiHandler {
    private final GroupCoordinatorManager groups;

    OffsetDelete(GroupCoordinatorManager groups) {
      this.groups = groups;
    }

    @Override
    public void handle(RequestContext ctx, Struct request) {
      String groupId = request.get(OffsetDeleteRequest.GROUP_ID);
      Lookup lookup = groups.coordinatorFor(groupId);
      if (lookup instanceof Lookup.NotReady n) {
        ctx.respond(errorResponse(ctx, request, n.error()));
        return;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (Struct t : request.get(OffsetDeleteRequest.TOPICS)) {
        for (Struct p : t.get(OffsetDeleteRequest.PARTITIONS)) {
          int index = p.getInt(OffsetDeleteRequest.PARTITION_INDEX);
          String topic = t.get(OffsetDeleteRequest.TOPIC_NAME);
          if (index >= 0 && topic != null && !topic.isEmpty()) {
            partitions.add(new TopicPartition(topic, index));
          }
        }
      }
      OffsetOps.DeleteResult result =
          ((Lookup.Ready) lookup).coordinator().deleteOffsets(groupId, partitions);
      if (result.error() != Errors.NONE) {
        ctx.respond(errorResponse(ctx, request, result.error()));
        return;
      }
      Struct response = new Struct(OffsetDeleteResponse.SCHEMA);
      for (Struct t : request.get(OffsetDeleteRequest.TOPICS)) {
        String topic = t.get(OffsetDeleteRequest.TOPIC_NAME);
        Struct rt = response.addElement(OffsetDeleteResponse.TOPICS)
            .set(OffsetDeleteResponse.TOPIC_NAME, topic);
        for (Struct p : t.get(OffsetDeleteRequest.PARTITIONS)) {
          int index = p.getInt(OffsetDeleteRequest.PARTITION_INDEX);
          Errors e = index < 0 || topic == null || topic.isEmpty()
              ? Errors.UNKNOWN_TOPIC_OR_PARTITION
              : result.partitions().getOrDefault(new TopicPartition(topic, index), Errors.NONE);
          rt.addElement(OffsetDeleteResponse.PARTITIONS)
              .set(OffsetDeleteResponse.PARTITION_INDEX, index)
              .set(OffsetDeleteResponse.PARTITION_ERROR_CODE, e.code);
        }
      }
      ctx.respond(response);
    }

    @Override
    public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
      return new Struct(OffsetDeleteResponse.SCHEMA)
          .set(OffsetDeleteResponse.ERROR_CODE, error.code);
    }
  }
}
