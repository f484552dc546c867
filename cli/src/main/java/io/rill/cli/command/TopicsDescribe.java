package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Configs;
import io.rill.client.KafkaClient;
import io.rill.client.LogDirReplicas;
import io.rill.client.TopicLayout;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rill topics describe NAME...}: per partition the leader, replicas, ISR, offline replicas,
 * leader epoch and the log start / end offsets, then the topic's non-default configs. Offsets a
 * leader cannot give (it just died) are shown as "?" (null in JSON) with one warning on stderr;
 * the rest of the description is still worth having.
 */
@Command(name = "describe",
    description = {"Describe topics: partitions, offsets, configs.",
        "",
        "Per partition: LEADER (-1 when none), LEADER_EPOCH, REPLICAS, ISR (in-sync replicas), "
            + "OFFLINE (replicas on brokers that are fenced or down; '-' when none) and the log "
            + "start and end offsets, asked of the leader. When a leader cannot be reached, its "
            + "partitions' offsets show as '?' (null in JSON) and one warning goes to stderr.",
        "",
        "A topic whose cleanup.policy includes compact also shows, per partition as its leader "
            + "sees it (each replica compacts its own log): CLEANABLE_RATIO, the dirty share of "
            + "what the cleaner may work on now (it cleans a log once this reaches "
            + "min.cleanable.dirty.ratio), and LAST_CLEANING, when the leader's last cleaning of "
            + "it ended ('-': none since that broker started; 'uncleanable' after a failed "
            + "cleaning)."})
final class TopicsDescribe extends BaseCommand {
  static final List<String> PARTITION_KEYS = List.of("partition", "leader", "leaderEpoch",
      "replicas", "isr", "offline", "logStartOffset", "logEndOffset");
  /** The columns a compacted topic adds. */
  static final List<String> CLEANING_KEYS = List.of("cleanableRatio", "lastCleaning");
  /** What the table shows for offsets a leader could not give. */
  static final String UNKNOWN_OFFSET = "?";

  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Topics to describe.")
  List<String> names;

  @Override
  void execute() {
    KafkaClient c = client();
    Struct md = c.metadata(names);
    List<Map<String, Object>> topics = new ArrayList<>();
    PartitionOffsets offsets = PartitionOffsets.of(c);
    for (Struct t : md.get(MetadataResponse.TOPICS)) {
      String name = t.get(MetadataResponse.TOPIC_NAME);
      ClientException.check(t.get(MetadataResponse.TOPIC_ERROR_CODE), null, "topic " + name);
      topics.add(describe(c, offsets, name, t));
    }
    print(topics);
    if (!offsets.warning().isEmpty()) {
      output().err().println(offsets.warning());
    }
  }

  private void print(List<Map<String, Object>> topics) {
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
      List<String> keys = PARTITION_KEYS;
      if (Boolean.TRUE.equals(topic.get("compacted"))) {
        keys = new ArrayList<>(PARTITION_KEYS);
        keys.addAll(CLEANING_KEYS);
      }
      output().table(keys, forTable(parts));
      @SuppressWarnings("unchecked")
      Map<String, String> configs = (Map<String, String>) topic.get("configs");
      output().out().println("Configs: " + (configs.isEmpty() ? "(defaults)" : ""));
      for (Map.Entry<String, String> e : configs.entrySet()) {
        output().out().println("  " + e.getKey() + "=" + e.getValue());
      }
    }
  }

  /** Rows for the table: "-" for no offline replica, "?" for offsets the leader could not give. */
  private static List<Map<String, Object>> forTable(List<Map<String, Object>> parts) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> part : parts) {
      Map<String, Object> row = new LinkedHashMap<>(part);
      if (((List<?>) row.get("offline")).isEmpty()) {
        row.put("offline", null);
      }
      if ((Integer) row.get("leader") >= 0) {
        row.computeIfAbsent("logStartOffset", k -> UNKNOWN_OFFSET);
        row.computeIfAbsent("logEndOffset", k -> UNKNOWN_OFFSET);
      }
      if (row.get("cleanableRatio") instanceof Double ratio) {
        row.put("cleanableRatio", String.format(Locale.ROOT, "%.2f", ratio));
      }
      if (Boolean.TRUE.equals(row.get("uncleanable"))) {
        row.put("lastCleaning", "uncleanable");
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Adds each partition's cleaning status as its leader reports it (one DescribeLogDirs per
   * leader); null where the leader cannot say (down, or a Kafka broker).
   */
  private static void addCleaning(KafkaClient c, String topic, Map<Integer, Integer> leaders,
      List<Map<String, Object>> parts) {
    Map<Integer, List<Integer>> byLeader = new TreeMap<>();
    leaders.forEach((partition, leader) -> {
      if (leader >= 0) {
        byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(partition);
      }
    });
    Map<Integer, LogDirReplicas.Replica> status = new HashMap<>();
    byLeader.forEach((leader, partitions) -> LogDirReplicas.of(c, leader,
        Map.of(topic, partitions)).ifPresent(replicas -> replicas.forEach((tp, r) -> {
          if (tp.topic().equals(topic) && r.compacted()) {
            status.put(tp.partition(), r);
          }
        })));
    for (Map<String, Object> row : parts) {
      LogDirReplicas.Replica r = status.get((Integer) row.get("partition"));
      row.put("cleanableRatio", r == null ? null : r.cleanableRatio());
      row.put("lastCleaning", r == null || r.lastCleaningMs() < 0 ? null
          : Instant.ofEpochMilli(r.lastCleaningMs()).truncatedTo(ChronoUnit.SECONDS).toString());
      row.put("uncleanable", r != null && r.uncleanable());
    }
  }

  private static Map<String, Object> describe(KafkaClient c, PartitionOffsets offsets,
      String name, Struct t) {
    Map<Integer, Integer> leaders = new LinkedHashMap<>();
    for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
      leaders.put(p.get(MetadataResponse.PARTITION_INDEX), p.get(MetadataResponse.LEADER_ID));
    }
    PartitionOffsets.Offsets known = offsets.fetch(new TopicLayout(name, leaders));
    Map<Integer, Long> start = known.start();
    Map<Integer, Long> end = known.end();
    List<Map<String, Object>> parts = new ArrayList<>();
    for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
      int index = p.get(MetadataResponse.PARTITION_INDEX);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("partition", index);
      row.put("leader", p.get(MetadataResponse.LEADER_ID));
      row.put("leaderEpoch", p.get(MetadataResponse.LEADER_EPOCH));
      row.put("replicas", List.copyOf(p.get(MetadataResponse.REPLICA_NODES)));
      row.put("isr", List.copyOf(p.get(MetadataResponse.ISR_NODES)));
      row.put("offline", List.copyOf(p.get(MetadataResponse.OFFLINE_REPLICAS)));
      row.put("logStartOffset", start.get(index));
      row.put("logEndOffset", end.get(index));
      parts.add(row);
    }
    parts.sort((a, b) -> Integer.compare((Integer) a.get("partition"), (Integer) b.get("partition")));
    Map<String, String> configs = new LinkedHashMap<>();
    boolean compacted = false;
    for (Configs.Entry e : Configs.describe(c, Configs.TOPIC, name)) {
      if (!e.isDefault()) {
        configs.put(e.name(), e.value());
      }
      compacted |= e.name().equals("cleanup.policy") && e.value() != null
          && List.of(e.value().split("\\s*,\\s*")).contains("compact");
    }
    if (compacted) {
      addCleaning(c, name, leaders, parts);
    }
    Map<String, Object> topic = new LinkedHashMap<>();
    topic.put("name", name);
    topic.put("topicId", t.get(MetadataResponse.TOPIC_ID) == null ? null
        : t.get(MetadataResponse.TOPIC_ID).toString());
    topic.put("internal", t.get(MetadataResponse.IS_INTERNAL));
    topic.put("partitionCount", parts.size());
    topic.put("compacted", compacted);
    topic.put("partitions", parts);
    topic.put("configs", configs);
    return topic;
  }
}
