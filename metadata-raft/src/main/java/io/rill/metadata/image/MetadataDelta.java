package io.rill.metadata.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two images, for the broker to act on: create logs for created topics
 * and added partitions, delete the logs of removed topics (a recreated topic shows up as one
 * removed and one created, since its id differs), apply changed configs live, and react to
 * leadership changes in changed topics.
 *
 * <p>Computed by comparing images, so it is the same whether the new image came from one
 * command or from loading a snapshot; untouched topics share their instance, so the diff costs
 * a pointer comparison per topic.
 */
public record MetadataDelta(
    MetadataImage previous,
    MetadataImage current,
    List<TopicImage> createdTopics,
    List<TopicImage> removedTopics,
    List<TopicImage> changedTopics,
    Set<ConfigResource> changedConfigs,
    Set<Integer> changedBrokers) {

  public MetadataDelta {
    createdTopics = List.copyOf(createdTopics);
    removedTopics = List.copyOf(removedTopics);
    changedTopics = List.copyOf(changedTopics);
    changedConfigs = Set.copyOf(changedConfigs);
    changedBrokers = Set.copyOf(changedBrokers);
  }

  public static MetadataDelta between(MetadataImage previous, MetadataImage current) {
    List<TopicImage> created = new ArrayList<>();
    List<TopicImage> removed = new ArrayList<>();
    List<TopicImage> changed = new ArrayList<>();
    for (TopicImage t : current.topics().values()) {
      TopicImage before = previous.topicsById().get(t.id());
      if (before == null) {
        created.add(t);
      } else if (before != t && !before.equals(t)) {
        changed.add(t);
      }
    }
    for (TopicImage t : previous.topics().values()) {
      if (!current.topicsById().containsKey(t.id())) {
        removed.add(t);
      }
    }
    Set<ConfigResource> configs = new TreeSet<>();
    diffKeys(previous.allConfigs(), current.allConfigs(), configs);
    Set<Integer> brokers = new TreeSet<>();
    diffKeys(previous.brokers(), current.brokers(), brokers);
    return new MetadataDelta(previous, current, created, removed, changed, configs, brokers);
  }

  private static <K, V> void diffKeys(Map<K, V> before, Map<K, V> after, Set<K> out) {
    for (Map.Entry<K, V> e : after.entrySet()) {
      if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
        out.add(e.getKey());
      }
    }
    for (K k : before.keySet()) {
      if (!after.containsKey(k)) {
        out.add(k);
      }
    }
  }

  /** The partitions of a changed or created topic that differ from the previous image. */
  public List<Integer> changedPartitions(TopicImage topic) {
    TopicImage before = previous.topicsById().get(topic.id());
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < topic.numPartitions(); p++) {
      if (before == null || p >= before.numPartitions()
          || !before.partition(p).equals(topic.partition(p))) {
        out.add(p);
      }
    }
    return out;
  }

  public boolean isEmpty() {
    return createdTopics.isEmpty() && removedTopics.isEmpty() && changedTopics.isEmpty()
        && changedConfigs.isEmpty() && changedBrokers.isEmpty();
  }
}
