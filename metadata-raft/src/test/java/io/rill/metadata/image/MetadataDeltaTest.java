package io.rill.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.record.ConfigRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.PartitionChangeRecord;
import io.rill.metadata.record.PartitionRecord;
import io.rill.metadata.record.RegisterBrokerRecord;
import io.rill.metadata.record.RemoveTopicRecord;
import io.rill.metadata.record.ResourceType;
import io.rill.metadata.record.TopicRecord;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The broker learns what to do from deltas: create, delete, re-lead, reconfigure. */
class MetadataDeltaTest {
  private static final UUID A = new UUID(1, 1);
  private static final UUID B = new UUID(2, 2);

  private static MetadataRecord topic(String name, UUID id) {
    return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
        .setTopicId(Uuids.toProto(id))).build();
  }

  private static MetadataRecord partition(UUID id, int p) {
    return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
        .setTopicId(Uuids.toProto(id)).setPartition(p).addReplicas(1).addIsr(1).setLeader(1))
        .build();
  }

  private static MetadataImage apply(MetadataImage base, long offset, MetadataRecord... rs) {
    ImageBuilder b = base.toBuilder();
    for (MetadataRecord r : rs) {
      b.replay(r);
    }
    return b.build(offset);
  }

  @Test
  void deltaNamesCreatedRemovedAndChangedThings() {
    MetadataImage one = apply(MetadataImage.EMPTY, 1,
        MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
            .setBrokerId(1).setBrokerEpoch(1).setIncarnationId(Uuids.toProto(A))).build(),
        topic("a", A), partition(A, 0), topic("b", B), partition(B, 0));
    MetadataDelta first = MetadataDelta.between(MetadataImage.EMPTY, one);
    assertThat(first.createdTopics()).extracting(TopicImage::name).containsExactly("a", "b");
    assertThat(first.changedBrokers()).containsExactly(1);

    MetadataImage two = apply(one, 2,
        MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder()
            .setTopicId(Uuids.toProto(B))).build(),
        partition(A, 1),
        MetadataRecord.newBuilder().setPartitionChange(PartitionChangeRecord.newBuilder()
            .setTopicId(Uuids.toProto(A)).setPartition(0).setLeader(-1)).build(),
        MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
            .setResourceType(ResourceType.TOPIC).setResourceName("a").setName("retention.ms")
            .setValue("5")).build());
    MetadataDelta second = MetadataDelta.between(one, two);
    assertThat(second.createdTopics()).isEmpty();
    assertThat(second.removedTopics()).extracting(TopicImage::name).containsExactly("b");
    assertThat(second.changedTopics()).extracting(TopicImage::name).containsExactly("a");
    TopicImage a = second.changedTopics().get(0);
    assertThat(second.changedPartitions(a)).containsExactly(0, 1);
    assertThat(a.partition(0).leaderEpoch()).isEqualTo(1);
    assertThat(second.changedConfigs()).containsExactly(ConfigResource.topic("a"));
    assertThat(second.changedBrokers()).isEmpty();
    assertThat(MetadataDelta.between(two, two).isEmpty()).isTrue();
  }

  @Test
  void untouchedTopicsKeepTheirInstance() {
    MetadataImage one = apply(MetadataImage.EMPTY, 1, topic("a", A), partition(A, 0),
        topic("b", B), partition(B, 0));
    MetadataImage two = apply(one, 2, partition(B, 1));
    assertThat(two.topic("a").orElseThrow()).isSameAs(one.topic("a").orElseThrow());
  }
}
