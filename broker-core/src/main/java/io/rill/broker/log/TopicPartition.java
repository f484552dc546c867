package io.rill.broker.log;

import io.rill.protocol.util.Checks;

/**
 * Names one partition log. Its directory is {@code <topic>-<partition>}; topics may contain
 * '-', so the partition number is whatever follows the last '-'.
 */
public record TopicPartition(String topic, int partition) {
  public TopicPartition {
    Checks.argument(topic != null && !topic.isEmpty(), "empty topic name");
    Checks.argument(partition >= 0, "negative partition %s of topic %s", partition, topic);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
