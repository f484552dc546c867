package io.rill.broker.api;

import static io.rill.protocol.message.CreateTopicsResponse.TOPICS;

import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreatableTopicResult;
import io.rill.metadata.command.ReplicaAssignment;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import io.rill.protocol.message.CreateTopicsRequest;
import io.rill.protocol.message.CreateTopicsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTopics (v2-7): the topics go to the metadata quorum as one command, which validates
 * names, counts and configs and creates them; the answer is sent when the command is decided.
 *
 * <p>Partitions and replication factor of -1 take the broker's {@code num.partitions} and
 * {@code default.replication.factor} (KIP-464). A name given twice in one request is refused
 * for both with INVALID_REQUEST and answered once, as Kafka does. A new topic gets a fresh
 * random id (KIP-516), so a deleted and re-created topic has a new one. From v5 each created
 * (or validated) topic is answered with its partition count, replication factor and every
 * topic config with its source (KIP-525); from v7 with its id.
 */
final class CreateTopicsHandler implements ApiHandler {
  private final BrokerServices services;

  CreateTopicsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    List<Struct> topics = request.get(CreateTopicsRequest.TOPICS);
    Map<String, Integer> nameCounts = new HashMap<>();
    topics.forEach(t -> nameCounts.merge(t.get(CreateTopicsRequest.NAME), 1, Integer::sum));
    Set<String> duplicates = new LinkedHashSet<>();
    Map<String, Map<String, String>> requestedConfigs = new LinkedHashMap<>();
    io.rill.metadata.command.CreateTopicsRequest.Builder command =
        io.rill.metadata.command.CreateTopicsRequest.newBuilder()
            .setValidateOnly(request.getBool(CreateTopicsRequest.VALIDATE_ONLY))
            .setDefaultNumPartitions(services.config().getInt("num.partitions"))
            .setDefaultReplicationFactor(services.config().getInt("default.replication.factor"));
    for (Struct t : topics) {
      String name = t.get(CreateTopicsRequest.NAME);
      if (nameCounts.get(name) > 1) {
        duplicates.add(name);
        continue;
      }
      CreatableTopic topic = toCommand(t);
      requestedConfigs.put(name, topic.getConfigsMap());
      command.addTopics(topic);
    }
    if (command.getTopicsCount() == 0) {
      ctx.respond(withDuplicates(duplicates));
      return;
    }
    QuorumReplies.respondWhenDone(ctx,
        QuorumReplies.applied(services.metadata(), services.controller().createTopics(command.build())),
        QuorumReplies.boundedTimeoutMs(request.getInt(CreateTopicsRequest.TIMEOUT_MS)),
        decided -> {
          Struct response = withDuplicates(duplicates);
          ConfigDescriptions configs = new ConfigDescriptions(services.topicConfigs().broker());
          decided.getTopicsList().forEach(r -> addResult(response, r,
              requestedConfigs.getOrDefault(r.getName(), Map.of()), configs));
          return response;
        },
        failure -> {
          Struct response = withDuplicates(duplicates);
          command.getTopicsList().forEach(t -> addFailure(response, t.getName(), failure));
          return response;
        });
  }

  /** A response holding the INVALID_REQUEST answers of names given more than once. */
  private static Struct withDuplicates(Set<String> duplicates) {
    Struct response = new Struct(CreateTopicsResponse.SCHEMA);
    for (String name : duplicates) {
      response.addElement(TOPICS).set(CreateTopicsResponse.NAME, name)
          .set(CreateTopicsResponse.ERROR_CODE, Errors.INVALID_REQUEST.code)
          .set(CreateTopicsResponse.ERROR_MESSAGE, "Duplicate topic name.");
    }
    return response;
  }

  private static CreatableTopic toCommand(Struct t) {
    CreatableTopic.Builder b = CreatableTopic.newBuilder()
        .setName(t.get(CreateTopicsRequest.NAME))
        .setNumPartitions(t.getInt(CreateTopicsRequest.NUM_PARTITIONS))
        .setReplicationFactor(t.getShort(CreateTopicsRequest.REPLICATION_FACTOR))
        .setProposedTopicId(Uuids.toProto(newTopicId()));
    for (Struct a : t.get(CreateTopicsRequest.ASSIGNMENTS)) {
      b.addAssignments(ReplicaAssignment.newBuilder()
          .setPartition(a.getInt(CreateTopicsRequest.PARTITION_INDEX))
          .addAllBrokerIds(a.get(CreateTopicsRequest.BROKER_IDS)));
    }
    for (Struct c : t.get(CreateTopicsRequest.CONFIGS)) {
      String value = c.get(CreateTopicsRequest.CONFIG_VALUE);
      // A null value asks for the default: the same as not setting the config.
      if (value != null) {
        b.putConfigs(c.get(CreateTopicsRequest.CONFIG_NAME), value);
      }
    }
    return b.build();
  }

  /** A random id outside Kafka's reserved ones (a version-4 UUID's high half is never 0). */
  private static UUID newTopicId() {
    UUID id;
    do {
      id = UUID.randomUUID();
    } while (Uuids.isReserved(id));
    return id;
  }

  private static void addResult(Struct response, CreatableTopicResult r,
      Map<String, String> overrides, ConfigDescriptions configs) {
    Struct entry = response.addElement(TOPICS).set(CreateTopicsResponse.NAME, r.getName())
        .set(CreateTopicsResponse.ERROR_CODE, (short) r.getErrorCode())
        .set(CreateTopicsResponse.ERROR_MESSAGE,
            r.getErrorCode() == 0 ? null : r.getErrorMessage());
    if (r.getErrorCode() != 0) {
      return;
    }
    if (r.hasTopicId()) {
      entry.set(CreateTopicsResponse.TOPIC_ID, Uuids.fromProto(r.getTopicId()));
    }
    entry.set(CreateTopicsResponse.NUM_PARTITIONS, r.getNumPartitions())
        .set(CreateTopicsResponse.REPLICATION_FACTOR, (short) r.getReplicationFactor());
    List<Struct> described = new ArrayList<>();
    for (ConfigDescriptions.Description d : configs.topic(overrides)) {
      Struct c = new Struct(CreateTopicsResponse.CONFIG)
          .set(CreateTopicsResponse.CONFIG_NAME, d.name())
          .set(CreateTopicsResponse.CONFIG_VALUE, d.sensitive() ? null : d.value())
          .set(CreateTopicsResponse.CONFIG_READ_ONLY, d.readOnly())
          .set(CreateTopicsResponse.CONFIG_SOURCE, d.source().code)
          .set(CreateTopicsResponse.CONFIG_IS_SENSITIVE, d.sensitive());
      described.add(c);
    }
    entry.set(CreateTopicsResponse.CONFIGS, described);
  }

  private static void addFailure(Struct response, String name, ApiError failure) {
    response.addElement(TOPICS).set(CreateTopicsResponse.NAME, name)
        .set(CreateTopicsResponse.ERROR_CODE, failure.error().code)
        .set(CreateTopicsResponse.ERROR_MESSAGE, failure.message());
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    Struct response = new Struct(CreateTopicsResponse.SCHEMA);
    Set<String> names = new LinkedHashSet<>();
    request.get(CreateTopicsRequest.TOPICS)
        .forEach(t -> names.add(t.get(CreateTopicsRequest.NAME)));
    names.forEach(n -> response.addElement(TOPICS).set(CreateTopicsResponse.NAME, n)
        .set(CreateTopicsResponse.ERROR_CODE, error.code));
    return response;
  }
}
