package io.rill.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.Commands;
import io.rill.metadata.command.AlterConfigOp;
import io.rill.metadata.command.AlterPartitionItem;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.AlterableConfig;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.FenceBrokerRequest;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.IncrementalAlterConfigsResource;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.ImageRecords;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Snapshot-then-replay equals replay: for a random command history, at every point the image
 * written as records and replayed onto an empty image is equal to it, and replaying the rest of
 * the history's records on top of that gives the final image. Also: leader and partition
 * epochs of a partition never decrease, whatever the commands.
 */
class ReplayProperties {
  private static final List<String> NAMES = List.of("a", "b", "a.b", "a_b", "orders", "x-1");
  private static final List<Map.Entry<String, String>> CONFIGS = List.of(
      Map.entry("retention.ms", "1000"), Map.entry("retention.ms", "-7"),
      Map.entry("cleanup.policy", "compact"), Map.entry("segment.bytes", "2000000"),
      Map.entry("min.insync.replicas", "2"), Map.entry("nope", "1"));

  @Property(tries = 200)
  void snapshotThenReplayEqualsReplay(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int length) {
    Random random = new Random(seed);
    ControllerHarness c = new ControllerHarness();
    List<MetadataImage> images = new ArrayList<>();
    images.add(c.image);
    // Start most histories with live brokers, so that topics get created and move around.
    List<ControllerCommand> bootstrap = new ArrayList<>();
    int brokers = random.nextInt(4);
    for (int b = 1; b <= brokers; b++) {
      bootstrap.add(Commands.register(b, new UUID(0, b)));
      bootstrap.add(Commands.heartbeat(b, 2L * b - 1, 2L * b, false, false));
    }
    length += bootstrap.size();
    for (int i = 0; i < length; i++) {
      MetadataImage before = c.image;
      c.run(i < bootstrap.size() ? bootstrap.get(i) : randomCommand(random, c.image));
      assertEpochsOnlyGrow(before, c.image);
      images.add(c.image);
    }
    MetadataImage last = c.image;
    Statistics.label("has topics").collect(!last.topics().isEmpty());
    Statistics.label("has moved leaders").collect(last.topics().values().stream()
        .flatMap(t -> t.partitions().stream()).anyMatch(p -> p.leaderEpoch() > 0));
    for (int k = 0; k <= length; k++) {
      MetadataImage atK = images.get(k);
      ImageBuilder fromSnapshot = ImageBuilder.empty();
      fromSnapshot.replayAll(ImageRecords.of(atK));
      MetadataImage loaded = fromSnapshot.build(atK.offset());
      assertThat(loaded).as("snapshot round trip at %s (seed %s)", k, seed).isEqualTo(atK);
      ImageBuilder tail = loaded.toBuilder();
      for (List<MetadataRecord> records : c.history.subList(k, length)) {
        tail.replayAll(records);
      }
      assertThat(tail.build(last.offset())).as("snapshot at %s + tail (seed %s)", k, seed)
          .isEqualTo(last);
    }
  }

  private static void assertEpochsOnlyGrow(MetadataImage before, MetadataImage after) {
    for (TopicImage t : after.topics().values()) {
      before.topic(t.id()).ifPresent(old -> {
        for (int p = 0; p < old.numPartitions(); p++) {
          PartitionRegistration o = old.partition(p);
          PartitionRegistration n = t.partition(p);
          assertThat(n.leaderEpoch()).isGreaterThanOrEqualTo(o.leaderEpoch());
          assertThat(n.partitionEpoch()).isGreaterThanOrEqualTo(o.partitionEpoch());
        }
      });
    }
  }

  static ControllerCommand randomCommand(Random r, MetadataImage image) {
    int kind = r.nextInt(16);
    if (kind >= 13) {
      kind = 3; // creating topics is what gives the other commands something to do
    }
    List<BrokerRegistration> brokers = new ArrayList<>(image.brokers().values());
    BrokerRegistration broker = brokers.isEmpty() ? null : brokers.get(r.nextInt(brokers.size()));
    long epoch = broker == null ? 0 : broker.epoch() + (r.nextInt(10) == 0 ? 1 : 0);
    int brokerId = broker == null ? 1 : broker.id();
    switch (kind) {
      case 0:
        return Commands.register(1 + r.nextInt(4), new UUID(r.nextInt(3), 1 + r.nextInt(5)));
      case 1:
        return Commands.heartbeat(brokerId, epoch, image.offset() + 1 - r.nextInt(2),
            r.nextInt(5) == 0, r.nextInt(20) == 0);
      case 2:
        return ControllerCommand.newBuilder().setFenceBroker(FenceBrokerRequest.newBuilder()
            .setBrokerId(brokerId).setBrokerEpoch(epoch)).build();
      case 3:
        var t = Commands.topic(pick(r, NAMES), r.nextInt(5) - 1, r.nextInt(3) - 1,
            new UUID(r.nextLong(), r.nextLong()));
        if (r.nextBoolean()) {
          Map.Entry<String, String> cfg = pick(r, CONFIGS);
          t = Commands.withConfigs(t, Map.of(cfg.getKey(), cfg.getValue()));
        }
        return Commands.command(Commands.createTopics(t));
      case 4:
        if (r.nextBoolean() || image.topics().isEmpty()) {
          return Commands.deleteByName(pick(r, NAMES));
        }
        return Commands.deleteById(pick(r, new ArrayList<>(image.topicsById().keySet())));
      case 5:
        return Commands.createPartitions(pick(r, NAMES), r.nextInt(6));
      case 6:
        Map.Entry<String, String> cfg = pick(r, CONFIGS);
        AlterConfigOp op = AlterConfigOp.forNumber(r.nextInt(4));
        return ControllerCommand.newBuilder().setIncrementalAlterConfigs(
            IncrementalAlterConfigsRequest.newBuilder().addResources(
                IncrementalAlterConfigsResource.newBuilder().setType(ResourceType.TOPIC)
                    .setName(pick(r, NAMES)).addConfigs(AlterableConfig.newBuilder()
                        .setName(cfg.getKey()).setOp(op).setValue(cfg.getValue())))).build();
      case 7:
        return Commands.allocateProducerIds(brokerId, epoch);
      case 8:
        return Commands.reassign(pick(r, NAMES), r.nextInt(3), r.nextInt(6) == 0 ? null
            : randomReplicas(r), r.nextBoolean());
      case 9:
        return Commands.electLeaders(r.nextBoolean(), r.nextInt(3) == 0 ? null
            : List.of(Map.entry(pick(r, NAMES), r.nextInt(3))));
      case 10:
        return Commands.unregister(r.nextInt(4) == 0 ? 9 : brokerId);
      default:
        return randomAlterPartition(r, image);
    }
  }

  private static ControllerCommand randomAlterPartition(Random r, MetadataImage image) {
    List<TopicImage> topics = new ArrayList<>(image.topics().values());
    AlterPartitionRequest.Builder req = AlterPartitionRequest.newBuilder();
    if (topics.isEmpty()) {
      return ControllerCommand.newBuilder().setAlterPartition(req).build();
    }
    TopicImage t = pick(r, topics);
    int p = r.nextInt(t.numPartitions());
    PartitionRegistration part = t.partition(p);
    int sender = part.hasLeader() ? part.leader() : part.replicas().get(0);
    long brokerEpoch = image.broker(sender).map(BrokerRegistration::epoch).orElse(0L);
    List<Integer> isr = new ArrayList<>();
    for (int replica : part.replicas()) {
      if (replica == sender || r.nextBoolean()) {
        isr.add(replica);
      }
    }
    return ControllerCommand.newBuilder().setAlterPartition(req.setBrokerId(sender)
        .setBrokerEpoch(brokerEpoch).addPartitions(AlterPartitionItem.newBuilder()
            .setTopicId(Uuids.toProto(t.id())).setPartition(p)
            .setLeaderEpoch(part.leaderEpoch() - (r.nextInt(8) == 0 ? 1 : 0))
            .setPartitionEpoch(part.partitionEpoch() + (r.nextInt(8) == 0 ? 1 : 0))
            .addAllNewIsr(isr))).build();
  }

  /** Distinct broker ids, some of which may not exist (an invalid target). */
  private static List<Integer> randomReplicas(Random r) {
    List<Integer> ids = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    java.util.Collections.shuffle(ids, r);
    return ids.subList(0, r.nextInt(4));
  }

  private static <T> T pick(Random r, List<T> items) {
    return items.get(r.nextInt(items.size()));
  }
}
