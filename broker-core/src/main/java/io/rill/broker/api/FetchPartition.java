package io.rill.broker.api;

import io.rill.broker.log.TopicPartition;
import io.rill.protocol.Errors;
import java.util.UUID;

/**
 * One partition a fetch asks for, resolved against the metadata: its topic (by name, or by id
 * from v13), the offset and byte limit, and the leader epoch the client believes in (-1: none).
 * {@code error} is set when the partition cannot be read at all (unknown topic or id).
 */
record FetchPartition(String topicName, UUID topicId, int partition, long fetchOffset,
    int partitionMaxBytes, int currentLeaderEpoch, Errors error) {

  TopicPartition topicPartition() {
    return new TopicPartition(topicName, partition);
  }
}
