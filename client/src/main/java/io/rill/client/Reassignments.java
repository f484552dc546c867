package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.AlterPartitionReassignmentsRequest;
import io.rill.protocol.message.AlterPartitionReassignmentsResponse;
import io.rill.protocol.message.ElectLeadersRequest;
import io.rill.protocol.message.ElectLeadersResponse;
import io.rill.protocol.message.ListPartitionReassignmentsRequest;
import io.rill.protocol.message.ListPartitionReassignmentsResponse;
import io.rill.protocol.message.UnregisterBrokerRequest;
import io.rill.protocol.message.UnregisterBrokerResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moving data with Kafka's admin APIs, against any broker (Rill's and Kafka's forward them to
 * the controller): AlterPartitionReassignments, ListPartitionReassignments (KIP-455),
 * ElectLeaders (KIP-460) and UnregisterBroker (KIP-631). Per-partition refusals come back as
 * results, not exceptions; a request-level error throws {@link ClientException.Refused}.
 */
public final class Reassignments {
  private static final int TIMEOUT_MS = 30_000;

  private Reassignments() {}

  /** A partition by topic and index, ordered by both (as tools list them). */
  public record Tp(String topic, int partition) implements Comparable<Tp> {
    @Override
    public int compareTo(Tp o) {
      int c = topic.compareTo(o.topic);
      return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
      return topic + "-" + partition;
    }
  }

  /** One partition's answer: NONE, or Kafka's error and message. */
  public record Result(Tp partition, Errors error, String message) {}

  /** A reassignment in progress: all replicas (target first), the adding and removing ones. */
  public record Ongoing(List<Integer> replicas, List<Integer> adding, List<Integer> removing) {}

  /** Starts (target replicas) or cancels (null) each partition's reassignment. */
  public static List<Result> alter(KafkaClient client, Map<Tp, List<Integer>> targets) {
    Struct req = new Struct(AlterPartitionReassignmentsRequest.SCHEMA)
        .set(AlterPartitionReassignmentsRequest.TIMEOUT_MS, TIMEOUT_MS);
    byTopic(targets.keySet()).forEach((topic, partitions) -> {
      Struct t = req.addElement(AlterPartitionReassignmentsRequest.TOPICS)
          .set(AlterPartitionReassignmentsRequest.NAME, topic);
      for (int p : partitions) {
        t.addElement(AlterPartitionReassignmentsRequest.PARTITIONS)
            .set(AlterPartitionReassignmentsRequest.PARTITION_INDEX, p)
            .set(AlterPartitionReassignmentsRequest.REPLICAS, targets.get(new Tp(topic, p)));
      }
    });
    Struct resp = client.any().send(ApiKey.ALTER_PARTITION_REASSIGNMENTS, req);
    ClientException.check(resp.get(AlterPartitionReassignmentsResponse.ERROR_CODE),
        resp.get(AlterPartitionReassignmentsResponse.ERROR_MESSAGE), "reassign partitions");
    List<Result> results = new ArrayList<>();
    for (Struct t : resp.get(AlterPartitionReassignmentsResponse.RESPONSES)) {
      for (Struct p : t.get(AlterPartitionReassignmentsResponse.PARTITIONS)) {
        results.add(new Result(new Tp(t.get(AlterPartitionReassignmentsResponse.NAME),
                p.get(AlterPartitionReassignmentsResponse.PARTITION_INDEX)),
            Errors.forCode(p.get(AlterPartitionReassignmentsResponse.PARTITION_ERROR_CODE)),
            p.get(AlterPartitionReassignmentsResponse.PARTITION_ERROR_MESSAGE)));
      }
    }
    return results;
  }

  /** Every reassignment in progress, by partition. */
  public static Map<Tp, Ongoing> list(KafkaClient client) {
    Struct req = new Struct(ListPartitionReassignmentsRequest.SCHEMA)
        .set(ListPartitionReassignmentsRequest.TIMEOUT_MS, TIMEOUT_MS)
        .set(ListPartitionReassignmentsRequest.TOPICS, null);
    Struct resp = client.any().send(ApiKey.LIST_PARTITION_REASSIGNMENTS, req);
    ClientException.check(resp.get(ListPartitionReassignmentsResponse.ERROR_CODE),
        resp.get(ListPartitionReassignmentsResponse.ERROR_MESSAGE), "list reassignments");
    Map<Tp, Ongoing> ongoing = new TreeMap<>();
    for (Struct t : resp.get(ListPartitionReassignmentsResponse.TOPICS)) {
      for (Struct p : t.get(ListPartitionReassignmentsResponse.PARTITIONS)) {
        ongoing.put(new Tp(t.get(ListPartitionReassignmentsResponse.NAME),
                p.get(ListPartitionReassignmentsResponse.PARTITION_INDEX)),
            new Ongoing(p.get(ListPartitionReassignmentsResponse.REPLICAS),
                p.get(ListPartitionReassignmentsResponse.ADDING_REPLICAS),
                p.get(ListPartitionReassignmentsResponse.REMOVING_REPLICAS)));
      }
    }
    return ongoing;
  }

  /**
   * Elects preferred (or, {@code unclean}, out-of-sync) leaders for {@code partitions}, or for
   * every partition when null (then only partitions that needed an election are answered).
   */
  public static List<Result> electLeaders(KafkaClient client, boolean unclean,
      List<Tp> partitions) {
    Struct req = new Struct(ElectLeadersRequest.SCHEMA)
        .set(ElectLeadersRequest.ELECTION_TYPE,
            unclean ? ElectLeadersRequest.UNCLEAN : ElectLeadersRequest.PREFERRED)
        .set(ElectLeadersRequest.TIMEOUT_MS, TIMEOUT_MS);
    if (partitions == null) {
      req.set(ElectLeadersRequest.TOPIC_PARTITIONS_FIELD, null);
    } else {
      byTopic(partitions).forEach((topic, ps) -> req
          .addElement(ElectLeadersRequest.TOPIC_PARTITIONS_FIELD)
          .set(ElectLeadersRequest.TOPIC, topic).set(ElectLeadersRequest.PARTITIONS, ps));
    }
    Struct resp = client.any().send(ApiKey.ELECT_LEADERS, req);
    ClientException.check(resp.get(ElectLeadersResponse.ERROR_CODE), null, "elect leaders");
    List<Result> results = new ArrayList<>();
    for (Struct t : resp.get(ElectLeadersResponse.REPLICA_ELECTION_RESULTS)) {
      for (Struct p : t.get(ElectLeadersResponse.PARTITION_RESULTS)) {
        results.add(new Result(new Tp(t.get(ElectLeadersResponse.TOPIC),
                p.get(ElectLeadersResponse.PARTITION_ID)),
            Errors.forCode(p.get(ElectLeadersResponse.PARTITION_ERROR_CODE)),
            p.get(ElectLeadersResponse.ERROR_MESSAGE)));
      }
    }
    return results;
  }

  /** Removes a broker's registration; throws {@link ClientException.Refused} if refused. */
  public static void unregisterBroker(KafkaClient client, int brokerId) {
    Struct resp = client.any().send(ApiKey.UNREGISTER_BROKER, new Struct(
        UnregisterBrokerRequest.SCHEMA).set(UnregisterBrokerRequest.BROKER_ID, brokerId));
    ClientException.check(resp.get(UnregisterBrokerResponse.ERROR_CODE),
        resp.get(UnregisterBrokerResponse.ERROR_MESSAGE), "unregister broker " + brokerId);
  }

  private static Map<String, List<Integer>> byTopic(Iterable<Tp> partitions) {
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (Tp tp : partitions) {
      byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
    }
    return byTopic;
  }
}
