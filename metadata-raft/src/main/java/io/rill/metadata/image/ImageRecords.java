package io.rill.metadata.image;

import io.rill.metadata.record.ClusterIdRecord;
import io.rill.metadata.record.ConfigRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionRecord;
import io.rill.metadata.record.ProducerIdsRecord;
import io.rill.metadata.record.RegisterBrokerRecord;
import io.rill.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * An image written back as records: the body of a snapshot. Replaying {@link #of(MetadataImage)}
 * onto an empty builder and building at the same offset gives an equal image; that round trip
 * is what makes "load snapshot, replay the tail" equal to "replay everything".
 *
 * <p>Order matters: the cluster id, brokers, then each topic followed by its partitions in order, then configs
 * (a topic's configs need the topic), then the producer-id position.
 */
public final class ImageRecords {
  private ImageRecords() {}

  public static List<MetadataRecord> of(MetadataImage image) {
    List<MetadataRecord> out = new ArrayList<>();
    image.clusterId().ifPresent(id -> out.add(MetadataRecord.newBuilder()
        .setClusterId(ClusterIdRecord.newBuilder().setClusterId(id)).build()));
    for (BrokerRegistration b : image.brokers().values()) {
      RegisterBrokerRecord.Builder r = RegisterBrokerRecord.newBuilder()
          .setBrokerId(b.id())
          .setBrokerEpoch(b.epoch())
          .setIncarnationId(Uuids.toProto(b.incarnationId()))
          .setFenced(b.fenced())
          .setInControlledShutdown(b.inControlledShutdown());
      b.endpoints().forEach(e -> r.addEndpoints(e.toProto()));
      b.rack().ifPresent(r::setRack);
      out.add(MetadataRecord.newBuilder().setRegisterBroker(r).build());
    }
    for (TopicImage t : image.topics().values()) {
      out.add(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder()
          .setName(t.name()).setTopicId(Uuids.toProto(t.id()))).build());
      for (int p = 0; p < t.numPartitions(); p++) {
        out.add(MetadataRecord.newBuilder().setPartition(partitionRecord(t, p)).build());
      }
    }
    for (Map.Entry<ConfigResource, SortedMap<String, String>> e : image.allConfigs().entrySet()) {
      for (Map.Entry<String, String> c : e.getValue().entrySet()) {
        out.add(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
            .setResourceType(e.getKey().type())
            .setResourceName(e.getKey().name())
            .setName(c.getKey())
            .setValue(c.getValue())).build());
      }
    }
    if (image.nextProducerId() > 0) {
      out.add(MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
          .setBrokerId(-1).setBrokerEpoch(-1).setNextProducerId(image.nextProducerId())).build());
    }
    return out;
  }

  public static PartitionRecord partitionRecord(TopicImage t, int partition) {
    PartitionRegistration p = t.partition(partition);
    return PartitionRecord.newBuilder()
        .setTopicId(Uuids.toProto(t.id()))
        .setPartition(partition)
        .addAllReplicas(p.replicas())
        .addAllIsr(p.isr())
        .setLeader(p.leader())
        .setLeaderEpoch(p.leaderEpoch())
        .setPartitionEpoch(p.partitionEpoch())
        .addAllAddingReplicas(p.addingReplicas())
        .addAllRemovingReplicas(p.removingReplicas())
        .build();
  }
}
