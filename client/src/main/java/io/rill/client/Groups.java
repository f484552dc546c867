package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeGroupsRequest;
import io.rill.protocol.message.DescribeGroupsResponse;
import io.rill.protocol.message.OffsetCommitRequest;
import io.rill.protocol.message.OffsetCommitResponse;
import io.rill.protocol.message.OffsetFetchRequest;
import io.rill.protocol.message.OffsetFetchResponse;
import io.rill.protocol.schema.Struct;
import java.util.Map;
import java.util.TreeMap;

/** Group admin calls against a group's coordinator. */
public final class Groups {
  /** A topic partition, ordered by topic then partition. */
  public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    @Override
    public int compareTo(TopicPartition o) {
      int c = topic.compareTo(o.topic);
      return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
      return topic + "-" + partition;
    }
  }

  private Groups() {}

  public static Struct describe(KafkaClient client, String group) {
    return client.retrying(() -> {
      Struct req = new Struct(DescribeGroupsRequest.SCHEMA);
      req.get(DescribeGroupsRequest.GROUPS).add(group);
      Struct resp = client.coordinator(group).send(ApiKey.DESCRIBE_GROUPS, req);
      Struct g = resp.get(DescribeGroupsResponse.GROUPS).get(0);
      ClientException.check(g.get(DescribeGroupsResponse.GROUP_ERROR_CODE), null, "group " + group);
      return g;
    });
  }

  /** Every committed offset of the group (OffsetFetch with all topics). */
  public static Map<TopicPartition, Long> committed(KafkaClient client, String group) {
    return client.retrying(() -> {
      Struct req = new Struct(OffsetFetchRequest.SCHEMA);
      req.set(OffsetFetchRequest.GROUP_ID, group);
      req.set(OffsetFetchRequest.TOPICS, null);
      Struct resp = client.coordinator(group).send(ApiKey.OFFSET_FETCH, req);
      ClientException.check(resp.get(OffsetFetchResponse.ERROR_CODE), null, "group " + group);
      Map<TopicPartition, Long> result = new TreeMap<>();
      for (Struct t : resp.get(OffsetFetchResponse.TOPICS)) {
        for (Struct p : t.get(OffsetFetchResponse.PARTITIONS)) {
          ClientException.check(p.get(OffsetFetchResponse.PARTITION_ERROR_CODE), null, "group " + group);
          long offset = p.get(OffsetFetchResponse.COMMITTED_OFFSET);
          if (offset >= 0) {
            result.put(new TopicPartition(t.get(OffsetFetchResponse.TOPIC_NAME),
                p.get(OffsetFetchResponse.PARTITION_INDEX)), offset);
          }
        }
      }
      return result;
    });
  }

  /** Commits offsets as a member of {@code generation} (or -1 and "" for an admin commit). */
  public static void commit(KafkaClient client, String group, int generation, String memberId,
      Map<TopicPartition, Long> offsets) {
    Struct req = new Struct(OffsetCommitRequest.SCHEMA);
    req.set(OffsetCommitRequest.GROUP_ID, group);
    req.set(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH, generation);
    req.set(OffsetCommitRequest.MEMBER_ID, memberId);
    Map<String, Struct> topics = new TreeMap<>();
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      Struct t = topics.computeIfAbsent(e.getKey().topic(), name -> req.addElement(
          OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.TOPIC_NAME, name));
      t.addElement(OffsetCommitRequest.PARTITIONS)
          .set(OffsetCommitRequest.PARTITION_INDEX, e.getKey().partition())
          .set(OffsetCommitRequest.COMMITTED_OFFSET, e.getValue());
    }
    client.retrying(() -> {
      Struct resp = client.coordinator(group).send(ApiKey.OFFSET_COMMIT, req);
      for (Struct t : resp.get(OffsetCommitResponse.TOPICS)) {
        for (Struct p : t.get(OffsetCommitResponse.PARTITIONS)) {
          ClientException.check(p.get(OffsetCommitResponse.ERROR_CODE), null, "commit of group " + group
              + " " + t.get(OffsetCommitResponse.TOPIC_NAME) + "-"
              + p.get(OffsetCommitResponse.PARTITION_INDEX));
        }
      }
      return null;
    });
  }
}
