package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.ConsumerProtocol;
import io.rill.client.Groups;
import io.rill.client.Groups.TopicPartition;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DeleteGroupsRequest;
import io.rill.protocol.message.DeleteGroupsResponse;
import io.rill.protocol.message.DescribeGroupsResponse;
import io.rill.protocol.message.ListGroupsRequest;
import io.rill.protocol.message.ListGroupsResponse;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rill groups ...}: the habits of kafka-consumer-groups.sh. */
@Command(name = "groups", description = "List, describe, reset offsets of and delete groups.",
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class,
        GroupsResetOffsets.class, GroupsCommand.Delete.class})
public final class GroupsCommand {
  @Command(name = "list", description = "List groups on every broker.")
  static final class ListGroups extends BaseCommand {
    @Option(names = "--state", paramLabel = "S", description = "Only groups in this state, e.g. Stable, Empty.")
    String state;

    @Override
    void execute() {
      KafkaClient c = client();
      Struct md = c.metadata(List.of());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Struct b : md.get(MetadataResponse.BROKERS)) {
        Struct req = new Struct(ListGroupsRequest.SCHEMA);
        var conn = c.node(b.get(MetadataResponse.BROKER_NODE_ID));
        if (state != null && conn.version(ApiKey.LIST_GROUPS) >= 4) {
          req.get(ListGroupsRequest.STATES_FILTER).add(state);
        }
        Struct resp = conn.send(ApiKey.LIST_GROUPS, req);
        ClientException.check(resp.get(ListGroupsResponse.ERROR_CODE), null, "list groups on " + conn.address());
        for (Struct g : resp.get(ListGroupsResponse.GROUPS)) {
          String s = g.get(ListGroupsResponse.GROUP_STATE);
          if (state != null && s != null && !s.isEmpty() && !s.equalsIgnoreCase(state)) {
            continue;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("group", g.get(ListGroupsResponse.GROUP_ID));
          row.put("state", s == null || s.isEmpty() ? null : s);
          row.put("protocolType", g.get(ListGroupsResponse.GROUP_PROTOCOL_TYPE));
          rows.add(row);
        }
      }
      rows.sort((a, b) -> ((String) a.get("group")).compareTo((String) b.get("group")));
      output().rows("groups", List.of("group", "state", "protocolType"), rows);
    }
  }

  @Command(name = "describe", description = "State, members, assignment, committed offsets and lag.")
  static final class Describe extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "Group ids.")
    List<String> groups;

    @Override
    void execute() {
      List<Map<String, Object>> docs = new ArrayList<>();
      for (String g : groups) {
        docs.add(describe(client(), g));
      }
      if (output().json()) {
        output().document(Map.of("groups", docs));
        return;
      }
      boolean first = true;
      for (Map<String, Object> d : docs) {
        if (!first) {
          output().out().println();
        }
        first = false;
        output().out().println("Group: " + d.get("group") + "  State: " + d.get("state")
            + "  Protocol: " + d.get("protocol") + "  Members: "
            + ((List<?>) d.get("members")).size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> offsets = (List<Map<String, Object>>) d.get("offsets");
        output().table(List.of("topic", "partition", "committedOffset", "logEndOffset", "lag",
            "memberId", "clientId", "host"), offsets);
      }
    }

    static Map<String, Object> describe(KafkaClient c, String group) {
      Struct g = Groups.describe(c, group);
      String state = g.get(DescribeGroupsResponse.GROUP_STATE);
      if (state.equals("Dead")) {
        throw new ClientException.Refused(Errors.GROUP_ID_NOT_FOUND, "group " + group + " does not exist");
      }
      Map<TopicPartition, Map<String, Object>> owners = new HashMap<>();
      List<Map<String, Object>> members = new ArrayList<>();
      boolean consumer = ConsumerProtocol.PROTOCOL_TYPE.equals(
          g.get(DescribeGroupsResponse.GROUP_PROTOCOL_TYPE));
      for (Struct m : g.get(DescribeGroupsResponse.GROUP_MEMBERS)) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("memberId", m.get(DescribeGroupsResponse.MEMBER_ID));
        member.put("clientId", m.get(DescribeGroupsResponse.MEMBER_CLIENT_ID));
        member.put("host", m.get(DescribeGroupsResponse.MEMBER_CLIENT_HOST));
        Map<String, List<Integer>> assignment = consumer
            ? ConsumerProtocol.readAssignment(m.get(DescribeGroupsResponse.MEMBER_ASSIGNMENT))
            : Map.of();
        member.put("assignment", assignment);
        assignment.forEach((t, ps) -> ps.forEach(p -> owners.put(new TopicPartition(t, p), member)));
        members.add(member);
      }
      Map<TopicPartition, Long> committed = Groups.committed(c, group);
      TreeSet<TopicPartition> all = new TreeSet<>(committed.keySet());
      all.addAll(owners.keySet());
      Map<String, List<Integer>> byTopic = new TreeMap<>();
      for (TopicPartition tp : all) {
        byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
        TopicLayout layout = c.layout(e.getKey());
        c.listOffsets(layout, e.getValue(), KafkaClient.LATEST)
            .forEach((p, o) -> ends.put(new TopicPartition(e.getKey(), p), o));
      }
      List<Map<String, Object>> offsets = new ArrayList<>();
      for (TopicPartition tp : all) {
        Map<String, Object> row = new LinkedHashMap<>();
        Long off = committed.get(tp);
        Long end = ends.get(tp);
        Map<String, Object> owner = owners.get(tp);
        row.put("topic", tp.topic());
        row.put("partition", tp.partition());
        row.put("committedOffset", off);
        row.put("logEndOffset", end);
        row.put("lag", off == null || end == null ? null : Math.max(0, end - off));
        row.put("memberId", owner == null ? null : owner.get("memberId"));
        row.put("clientId", owner == null ? null : owner.get("clientId"));
        row.put("host", owner == null ? null : owner.get("host"));
        offsets.add(row);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("group", group);
      doc.put("state", state);
      doc.put("protocolType", g.get(DescribeGroupsResponse.GROUP_PROTOCOL_TYPE));
      doc.put("protocol", g.get(DescribeGroupsResponse.GROUP_PROTOCOL_DATA));
      doc.put("members", members);
      doc.put("offsets", offsets);
      return doc;
    }
  }

  @Command(name = "delete", description = "Delete empty groups and their committed offsets.")
  static final class Delete extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "Group ids.")
    List<String> groups;

    @Override
    void execute() {
      List<Map<String, Object>> rows = new ArrayList<>();
      ClientException.Refused first = null;
      for (String g : groups) {
        Struct req = new Struct(DeleteGroupsRequest.SCHEMA);
        req.get(DeleteGroupsRequest.GROUPS_NAMES).add(g);
        Struct resp = client().coordinator(g).send(ApiKey.DELETE_GROUPS, req);
        short code = resp.get(DeleteGroupsResponse.RESULTS).get(0)
            .get(DeleteGroupsResponse.RESULT_ERROR_CODE);
        if (code != 0 && first == null) {
          first = new ClientException.Refused(Errors.forCode(code), "group " + g);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", g);
        row.put("deleted", code == 0);
        row.put("error", code == 0 ? null : Errors.forCode(code).name());
        rows.add(row);
      }
      if (first != null) {
        throw first;
      }
      output().rows("groups", List.of("group", "deleted", "error"), rows);
    }
  }
}
