package io.rill.metadata.image;

import io.rill.protocol.util.Checks;
import java.util.List;
import java.util.UUID;

/**
 * A topic: its name, its id and its partitions, where {@code partitions().get(p)} is partition
 * p. Partition numbers are dense and only ever grow (CreatePartitions adds at the end).
 */
public record TopicImage(String name, UUID id, List<PartitionRegistration> partitions) {
  public TopicImage {
    Checks.argument(name != null && !name.isEmpty(), "empty topic name");
    Checks.argument(id != null && !Uuids.isReserved(id), "reserved topic id %s", id);
    partitions = List.copyOf(partitions);
  }

  public PartitionRegistration partition(int partition) {
    Checks.argument(partition >= 0 && partition < partitions.size(),
        "topic %s has no partition %s", name, partition);
    return partitions.get(partition);
  }

  public int numPartitions() {
    return partitions.size();
  }

  public int replicationFactor() {
    return partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
  }
}
