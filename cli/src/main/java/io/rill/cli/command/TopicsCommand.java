package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.CreatePartitionsRequest;
import io.rill.protocol.message.CreatePartitionsResponse;
import io.rill.protocol.message.CreateTopicsRequest;
import io.rill.protocol.message.CreateTopicsResponse;
import io.rill.protocol.message.DeleteTopicsRequest;
import io.rill.protocol.message.DeleteTopicsResponse;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rill topics ...}: the habits of kafka-topics.sh. */
@Command(name = "topics", description = "List, create, describe, alter and delete topics.",
    subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.Create.class,
        TopicsDescribe.class, TopicsCommand.Alter.class, TopicsCommand.Delete.class})
public final class TopicsCommand {
  /** How long the broker may take to create or delete, as kafka-topics.sh's default. */
  static final int ADMIN_TIMEOUT_MS = 30_000;

  @Command(name = "list", description = "List topics.")
  static final class ListTopics extends BaseCommand {
    @Option(names = "--internal", description = "Include internal topics (__consumer_offsets).")
    boolean internal;

    @Override
    void execute() {
      Struct md = client().metadata(null);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Struct t : md.get(MetadataResponse.TOPICS)) {
        boolean isInternal = t.get(MetadataResponse.IS_INTERNAL)
            || t.get(MetadataResponse.TOPIC_NAME).startsWith("__");
        if (isInternal && !internal) {
          continue;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", t.get(MetadataResponse.TOPIC_NAME));
        row.put("partitions", t.get(MetadataResponse.PARTITIONS).size());
        row.put("replicationFactor", t.get(MetadataResponse.PARTITIONS).isEmpty() ? 0
            : t.get(MetadataResponse.PARTITIONS).get(0).get(MetadataResponse.REPLICA_NODES).size());
        row.put("internal", isInternal);
        rows.add(row);
      }
      rows.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
      output().rows("topics", List.of("name", "partitions", "replicationFactor", "internal"), rows);
    }
  }

  @Command(name = "create", description = "Create a topic.")
  static final class Create extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The new topic's name.")
    String name;

    @Option(names = "--partitions", paramLabel = "N", description = "Default: the broker's.")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "R", description = "Default: the broker's.")
    Short replicationFactor;

    @Option(names = "--config", paramLabel = "k=v", description = "Topic config, repeatable.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed if the topic already exists.")
    boolean ifNotExists;

    @Override
    void execute() {
      if (partitions != null && partitions <= 0) {
        throw usage("--partitions must be positive");
      }
      Struct req = new Struct(CreateTopicsRequest.SCHEMA);
      Struct t = req.addElement(CreateTopicsRequest.TOPICS);
      t.set(CreateTopicsRequest.NAME, name);
      t.set(CreateTopicsRequest.NUM_PARTITIONS, partitions == null ? -1 : partitions);
      t.set(CreateTopicsRequest.REPLICATION_FACTOR,
          replicationFactor == null ? (short) -1 : replicationFactor);
      for (Map.Entry<String, String> e : configs.entrySet()) {
        t.addElement(CreateTopicsRequest.CONFIGS)
            .set(CreateTopicsRequest.CONFIG_NAME, e.getKey())
            .set(CreateTopicsRequest.CONFIG_VALUE, e.getValue());
      }
      req.set(CreateTopicsRequest.TIMEOUT_MS, ADMIN_TIMEOUT_MS);
      KafkaClient c = client();
      Struct resp = c.any().send(ApiKey.CREATE_TOPICS, req);
      Struct r = resp.get(CreateTopicsResponse.TOPICS).get(0);
      short code = r.get(CreateTopicsResponse.ERROR_CODE);
      boolean existed = code == Errors.TOPIC_ALREADY_EXISTS.code && ifNotExists;
      if (!existed) {
        ClientException.check(code, r.get(CreateTopicsResponse.ERROR_MESSAGE), "topic " + name);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("name", name);
      doc.put("created", !existed);
      TopicLayout layout = c.layout(name);
      doc.put("partitions", layout.partitionCount());
      if (output().json()) {
        output().document(doc);
      } else {
        output().out().println((existed ? "Topic already exists: " : "Created topic ") + name
            + " (" + layout.partitionCount() + " partitions)");
      }
    }
  }

  @Command(name = "alter", description = "Add partitions to a topic.")
  static final class Alter extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The topic to alter.")
    String name;

    @Option(names = "--partitions", required = true, paramLabel = "N",
        description = "The new, larger, partition count.")
    int partitions;

    @Override
    void execute() {
      Struct req = new Struct(CreatePartitionsRequest.SCHEMA);
      req.addElement(CreatePartitionsRequest.TOPICS)
          .set(CreatePartitionsRequest.NAME, name)
          .set(CreatePartitionsRequest.COUNT, partitions)
          .set(CreatePartitionsRequest.ASSIGNMENTS, null);
      req.set(CreatePartitionsRequest.TIMEOUT_MS, ADMIN_TIMEOUT_MS);
      Struct resp = client().any().send(ApiKey.CREATE_PARTITIONS, req);
      Struct r = resp.get(CreatePartitionsResponse.RESULTS).get(0);
      ClientException.check(r.get(CreatePartitionsResponse.ERROR_CODE),
          r.get(CreatePartitionsResponse.ERROR_MESSAGE), "topic " + name);
      if (output().json()) {
        output().document(Map.of("name", name, "partitions", partitions));
      } else {
        output().out().println("Topic " + name + " now has " + partitions + " partitions");
      }
    }
  }

  @Command(name = "delete", description = "Delete topics.")
  static final class Delete extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Topics to delete.")
    List<String> names;

    @Option(names = "--if-exists", description = "Succeed for topics that do not exist.")
    boolean ifExists;

    @Override
    void execute() {
      KafkaClient c = client();
      Struct req = new Struct(DeleteTopicsRequest.SCHEMA);
      boolean byState = c.any().version(ApiKey.DELETE_TOPICS) >= 6;
      for (String n : names) {
        if (byState) {
          req.addElement(DeleteTopicsRequest.TOPICS).set(DeleteTopicsRequest.NAME, n);
        } else {
          req.get(DeleteTopicsRequest.TOPIC_NAMES).add(n);
        }
      }
      req.set(DeleteTopicsRequest.TIMEOUT_MS, ADMIN_TIMEOUT_MS);
      Struct resp = c.any().send(ApiKey.DELETE_TOPICS, req);
      List<Map<String, Object>> rows = new ArrayList<>();
      ClientException.Refused first = null;
      for (Struct r : resp.get(DeleteTopicsResponse.RESPONSES)) {
        short code = r.get(DeleteTopicsResponse.ERROR_CODE);
        String name = r.get(DeleteTopicsResponse.NAME);
        boolean missing = code == Errors.UNKNOWN_TOPIC_OR_PARTITION.code;
        if (code != 0 && !(missing && ifExists) && first == null) {
          first = new ClientException.Refused(Errors.forCode(code), "topic " + name
              + (r.get(DeleteTopicsResponse.ERROR_MESSAGE) == null ? ""
                  : ": " + r.get(DeleteTopicsResponse.ERROR_MESSAGE)));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("deleted", code == 0);
        row.put("error", code == 0 ? null : Errors.forCode(code).name());
        rows.add(row);
      }
      if (first != null) {
        throw first;
      }
      output().rows("topics", List.of("name", "deleted", "error"), rows);
    }
  }
}
