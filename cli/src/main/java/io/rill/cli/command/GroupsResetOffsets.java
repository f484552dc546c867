package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Groups;
import io.rill.client.Groups.TopicPartition;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeGroupsResponse;
import io.rill.protocol.schema.Struct;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rill groups reset-offsets}: as kafka-consumer-groups.sh, the plan is only shown unless
 * {@code --execute} is given, and only an inactive (Empty or unknown) group can be reset.
 */
@Command(name = "reset-offsets", description = "Plan (or with --execute, commit) new offsets.")
final class GroupsResetOffsets extends BaseCommand {
  @Parameters(index = "0", paramLabel = "GROUP",
      description = "The group; it must have no active members.")
  String group;

  @Option(names = "--topic", required = true, paramLabel = "T[:P,...]",
      description = "Topic, optionally with partitions: orders:0,2.")
  String topic;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--execute", description = "Commit the new offsets (default: show the plan).")
  boolean execute;

  static final class Target {
    @Option(names = "--to-earliest", required = true,
        description = "To each partition's log start offset.")
    boolean earliest;

    @Option(names = "--to-latest", required = true,
        description = "To each partition's log end offset.")
    boolean latest;

    @Option(names = "--to-offset", required = true, paramLabel = "N",
        description = "To this offset (clamped to each partition's range).")
    Long offset;

    @Option(names = "--to-datetime", required = true, paramLabel = "ISO",
        description = "To the first offset at or after this time, e.g. 2024-05-01T12:00:00Z or"
            + " 2024-05-01T12:00:00.000+02:00.")
    String datetime;
  }

  @Override
  void execute() {
    KafkaClient c = client();
    String name = topic;
    List<Integer> chosen = null;
    int colon = topic.indexOf(':');
    if (colon > 0) {
      name = topic.substring(0, colon);
      chosen = new ArrayList<>();
      for (String p : topic.substring(colon + 1).split(",")) {
        try {
          chosen.add(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
          throw usage("bad partition '" + p + "' in --topic " + topic);
        }
      }
    }
    long timestamp = target.datetime == null ? 0 : parseTime(target.datetime);
    TopicLayout layout = c.layout(name);
    List<Integer> partitions = chosen == null ? layout.partitions() : chosen;
    Map<Integer, Long> earliest = c.listOffsets(layout, partitions, KafkaClient.EARLIEST);
    Map<Integer, Long> latest = c.listOffsets(layout, partitions, KafkaClient.LATEST);
    Map<Integer, Long> targets = new TreeMap<>();
    if (target.earliest) {
      targets.putAll(earliest);
    } else if (target.latest) {
      targets.putAll(latest);
    } else if (target.offset != null) {
      for (int p : partitions) {
        // Clamped into the log, as Kafka's tool does.
        targets.put(p, Math.max(earliest.get(p), Math.min(latest.get(p), target.offset)));
      }
    } else {
      Map<Integer, Long> at = c.listOffsets(layout, partitions, timestamp);
      for (int p : partitions) {
        long o = at.getOrDefault(p, -1L);
        targets.put(p, o < 0 ? latest.get(p) : o);
      }
    }
    Struct g = Groups.describe(c, group);
    String state = g.get(DescribeGroupsResponse.GROUP_STATE);
    if (execute && !(state.equals("Empty") || state.equals("Dead"))) {
      throw new ClientException.Refused(Errors.NON_EMPTY_GROUP, "group " + group + " is " + state
          + "; offsets can only be reset when the group is inactive");
    }
    Map<TopicPartition, Long> current = Groups.committed(c, group);
    Map<TopicPartition, Long> plan = new TreeMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : targets.entrySet()) {
      TopicPartition tp = new TopicPartition(name, e.getKey());
      plan.put(tp, e.getValue());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("topic", name);
      row.put("partition", e.getKey());
      row.put("currentOffset", current.get(tp));
      row.put("newOffset", e.getValue());
      rows.add(row);
    }
    if (execute) {
      Groups.commit(c, group, -1, "", plan);
    }
    if (output().json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("group", group);
      doc.put("executed", execute);
      doc.put("offsets", rows);
      output().document(doc);
    } else {
      output().table(List.of("topic", "partition", "currentOffset", "newOffset"), rows);
      if (!execute) {
        output().out().println("Dry run: nothing committed. Add --execute to reset.");
      }
    }
  }

  private long parseTime(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw usage("--to-datetime must be ISO-8601 with offset, e.g. 2024-05-01T12:00:00Z: " + s);
      }
    }
  }
}
