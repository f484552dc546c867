package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Configs;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rill topics describe NAME...}: per partition the leader, replicas, ISR, leader epoch and
 * the log start / end offsets, then the topic's non-default configs.
 */
@Command(name = "describe", description = "Describe topics: partitions, offsets, configs.")
final class TopicsDescribe extends BaseCommand {
  static final List<String> PARTITION_KEYS = List.of("partition", "leader", "leaderEpoch",
      "replicas", "isr", "logStartOffset", "logEndOffset");

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Topics to describe.")
  List<String> names;

  @Override
  void execute() {
    KafkaClient c = client();
    Struct md = c.metadata(names);
    List<Map<String, Object>> topics = new ArrayList<>();
    for (Struct t : md.get(MetadataResponse.TOPICS)) {
      String name = t.get(MetadataResponse.TOPIC_NAME);
      ClientException.check(t.get(MetadataResponse.TOPIC_ERROR_CODE), null, "topic " + name);
      topics.add(describe(c, name, t));
    }
    if (output().json()) {
      output().document(Map.of("topics", topics));
      return;
    }
    boolean first = true;
    for (Map<String, Object> topic : topics) {
      if (!first) {
        output().out().println();
      }
      first = false;
      output().out().println("Topic: " + topic.get("name") + "  TopicId: " + topic.get("topicId")
          + "  Partitions: " + topic.get("partitionCount")
          + "  Internal: " + topic.get("internal"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> parts = (List<Map<String, Object>>) topic.get("partitions");
      output().table(PARTITION_KEYS, parts);
      @SuppressWarnings("unchecked")
      Map<String, String> configs = (Map<String, String>) topic.get("configs");
      output().out().println("Configs: " + (configs.isEmpty() ? "(defaults)" : ""));
      for (Map.Entry<String, String> e : configs.entrySet()) {
        output().out().println("  " + e.getKey() + "=" + e.getValue());
      }
    }
  }

  private static Map<String, Object> describe(KafkaClient c, String name, Struct t) {
    Map<Integer, Integer> leaders = new LinkedHashMap<>();
    for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
      leaders.put(p.get(MetadataResponse.PARTITION_INDEX), p.get(MetadataResponse.LEADER_ID));
    }
    TopicLayout layout = new TopicLayout(name, leaders);
    List<Integer> led = new ArrayList<>();
    leaders.forEach((p, l) -> {
      if (l >= 0) {
        led.add(p);
      }
    });
    Map<Integer, Long> start = c.listOffsets(layout, led, KafkaClient.EARLIEST);
    Map<Integer, Long> end = c.listOffsets(layout, led, KafkaClient.LATEST);
    List<Map<String, Object>> parts = new ArrayList<>();
    for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
      int index = p.get(MetadataResponse.PARTITION_INDEX);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("partition", index);
      row.put("leader", p.get(MetadataResponse.LEADER_ID));
      row.put("leaderEpoch", p.get(MetadataResponse.LEADER_EPOCH));
      row.put("replicas", List.copyOf(p.get(MetadataResponse.REPLICA_NODES)));
      row.put("isr", List.copyOf(p.get(MetadataResponse.ISR_NODES)));
      row.put("logStartOffset", start.get(index));
      row.put("logEndOffset", end.get(index));
      parts.add(row);
    }
    parts.sort((a, b) -> Integer.compare((Integer) a.get("partition"), (Integer) b.get("partition")));
    Map<String, String> configs = new LinkedHashMap<>();
    for (Configs.Entry e : Configs.describe(c, Configs.TOPIC, name)) {
      if (!e.isDefault()) {
        configs.put(e.name(), e.value());
      }
    }
    Map<String, Object> topic = new LinkedHashMap<>();
    topic.put("name", name);
    topic.put("topicId", t.get(MetadataResponse.TOPIC_ID) == null ? null
        : t.get(MetadataResponse.TOPIC_ID).toString());
    topic.put("internal", t.get(MetadataResponse.IS_INTERNAL));
    topic.put("partitionCount", parts.size());
    topic.put("partitions", parts);
    topic.put("configs", configs);
    return topic;
  }
}
