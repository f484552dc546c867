package io.rill.cli.command;

import io.rill.client.Fetcher;
import io.rill.client.Fetcher.ConsumedRecord;
import io.rill.client.GroupMember;
import io.rill.client.Groups;
import io.rill.client.Groups.TopicPartition;
import io.rill.client.KafkaClient;
import io.rill.cli.output.Json;
import io.rill.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rill consume TOPIC}: prints records, one per line, in {@code --format} (kcat's
 * placeholders). With {@code --group} it is a member of that consumer group (range assignment)
 * and commits the offsets of what it printed; without, it reads every partition, or the one given
 * by {@code --partition/--offset}. With {@code --output json} each record is one JSON object per
 * line (JSON Lines), since a consumer may run forever.
 */
@Command(name = "consume", description = "Print records of a topic.")
public final class ConsumeCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
  String topic;

  @Option(names = "--group", paramLabel = "G", description = "Consume as a member of this group.")
  String group;

  @Option(names = "--from-beginning",
      description = "Without a committed offset, start at the earliest offset (default: latest).")
  boolean fromBeginning;

  @Option(names = "--partition", paramLabel = "P", description = "Read only this partition.")
  Integer partition;

  @Option(names = "--offset", paramLabel = "N",
      description = "With --partition: start offset; -2 earliest, -1 latest.")
  Long offset;

  @Option(names = "--max-messages", paramLabel = "N", description = "Exit after N records.")
  Long maxMessages;

  @Option(names = "--timeout-ms", paramLabel = "N",
      description = "Exit when no record arrived for N ms.")
  Long timeoutMs;

  @Option(names = "--format", paramLabel = "FMT", defaultValue = "%v",
      description = "Line format: %%t topic, %%p partition, %%o offset, %%k key, %%v (or %%s) "
          + "value, %%T timestamp, %%h headers, \\t \\n; default %%v.")
  String format;

  @Override
  void execute() {
    if (offset != null && partition == null) {
      throw usage("--offset needs --partition");
    }
    if (group != null && partition != null) {
      throw usage("--group and --partition are exclusive (the group assigns partitions)");
    }
    KafkaClient c = client();
    Fetcher fetcher = new Fetcher(c, topic, fromBeginning);
    GroupMember member = group == null ? null : new GroupMember(c, group, topic);
    Map<Integer, Long> printed = new TreeMap<>();
    long count = 0;
    try {
      if (member == null) {
        fetcher.assign(startPositions(c, fetcher));
      } else {
        assignFromGroup(c, fetcher, member);
      }
      long lastRecordMs = System.currentTimeMillis();
      while (maxMessages == null || count < maxMessages) {
        if (member != null && member.needsRejoin()) {
          commit(c, member, printed);
          printed.clear();
          assignFromGroup(c, fetcher, member);
        }
        List<ConsumedRecord> records = fetcher.poll();
        for (ConsumedRecord r : records) {
          if (maxMessages != null && count >= maxMessages) {
            break;
          }
          print(r);
          printed.put(r.partition(), r.offset() + 1);
          count++;
        }
        output().out().flush();
        if (!records.isEmpty()) {
          lastRecordMs = System.currentTimeMillis();
          if (member != null) {
            commit(c, member, printed);
          }
        } else if (timeoutMs != null && System.currentTimeMillis() - lastRecordMs >= timeoutMs) {
          break;
        }
      }
      if (member != null) {
        commit(c, member, printed);
      }
    } finally {
      if (member != null) {
        member.close();
      }
    }
    output().err().println("Processed a total of " + count + " messages");
  }

  private Map<Integer, Long> startPositions(KafkaClient c, Fetcher fetcher) {
    if (partition != null) {
      long start = offset == null ? (fromBeginning ? KafkaClient.EARLIEST : KafkaClient.LATEST)
          : offset;
      if (start < 0) {
        start = c.listOffsets(fetcher.layout(), List.of(partition), start).get(partition);
      }
      return Map.of(partition, start);
    }
    return c.listOffsets(fetcher.layout(), fetcher.layout().partitions(),
        fromBeginning ? KafkaClient.EARLIEST : KafkaClient.LATEST);
  }

  private void assignFromGroup(KafkaClient c, Fetcher fetcher, GroupMember member) {
    List<Integer> assigned = member.join();
    Map<TopicPartition, Long> committed = Groups.committed(c, group);
    Map<Integer, Long> positions = new HashMap<>();
    List<Integer> missing = new java.util.ArrayList<>();
    for (int p : assigned) {
      Long o = committed.get(new TopicPartition(topic, p));
      if (o != null) {
        positions.put(p, o);
      } else {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      positions.putAll(c.listOffsets(fetcher.layout(), missing,
          fromBeginning ? KafkaClient.EARLIEST : KafkaClient.LATEST));
    }
    fetcher.assign(positions);
  }

  private void commit(KafkaClient c, GroupMember member, Map<Integer, Long> printed) {
    if (printed.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> offsets = new TreeMap<>();
    printed.forEach((p, o) -> offsets.put(new TopicPartition(topic, p), o));
    try {
      Groups.commit(c, group, member.generation(), member.memberId(), offsets);
    } catch (io.rill.client.ClientException.Refused e) {
      // A rebalance fenced this generation: the records will be read again by the next owner.
      if (!member.needsRejoin() && e.error() != io.rill.protocol.Errors.REBALANCE_IN_PROGRESS
          && e.error() != io.rill.protocol.Errors.ILLEGAL_GENERATION
          && e.error() != io.rill.protocol.Errors.UNKNOWN_MEMBER_ID) {
        throw e;
      }
      output().err().println("rill: commit skipped, group rebalancing: " + e.getMessage());
    }
  }

  private void print(ConsumedRecord r) {
    if (output().json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("topic", r.topic());
      doc.put("partition", r.partition());
      doc.put("offset", r.offset());
      doc.put("timestamp", r.timestamp());
      doc.put("key", text(r.key()));
      doc.put("value", text(r.value()));
      Map<String, Object> headers = new LinkedHashMap<>();
      for (Header h : r.headers()) {
        headers.put(h.key(), h.value() == null ? null : text(bytes(h)));
      }
      doc.put("headers", headers);
      output().out().println(Json.write(doc));
    } else {
      output().out().println(format(format, r));
    }
  }

  static String format(String fmt, ConsumedRecord r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char ch = fmt.charAt(i);
      if ((ch == '%' || ch == '\\') && i + 1 < fmt.length()) {
        char n = fmt.charAt(++i);
        if (ch == '\\') {
          sb.append(switch (n) {
            case 't' -> "\t";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case '\\' -> "\\";
            default -> "\\" + n;
          });
          continue;
        }
        switch (n) {
          case 't' -> sb.append(r.topic());
          case 'p' -> sb.append(r.partition());
          case 'o' -> sb.append(r.offset());
          case 'k' -> sb.append(text(r.key()));
          case 'v', 's' -> sb.append(text(r.value()));
          case 'K' -> sb.append(r.key() == null ? -1 : r.key().length);
          case 'S' -> sb.append(r.value() == null ? -1 : r.value().length);
          case 'T' -> sb.append(r.timestamp());
          case 'h' -> {
            StringBuilder hs = new StringBuilder();
            for (Header h : r.headers()) {
              hs.append(hs.length() == 0 ? "" : ",").append(h.key()).append('=')
                  .append(text(bytes(h)));
            }
            sb.append(hs);
          }
          case '%' -> sb.append('%');
          default -> sb.append('%').append(n);
        }
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static byte[] bytes(Header h) {
    if (h.value() == null) {
      return null;
    }
    byte[] a = new byte[h.value().remaining()];
    h.value().duplicate().get(a);
    return a;
  }

  private static String text(byte[] b) {
    return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
  }
}
