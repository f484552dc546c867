package io.rill.client;

import io.rill.protocol.Errors;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A topic's partitions and the broker leading each, from one metadata response. */
public record TopicLayout(String topic, Map<Integer, Integer> leaders) {
  public TopicLayout {
    leaders = new TreeMap<>(leaders);
  }

  public int partitionCount() {
    return leaders.size();
  }

  public List<Integer> partitions() {
    return List.copyOf(leaders.keySet());
  }

  public int leader(int partition) {
    Integer l = leaders.get(partition);
    if (l == null) {
      throw new ClientException.Refused(Errors.UNKNOWN_TOPIC_OR_PARTITION, topic + "-" + partition);
    }
    return l;
  }
}
