package io.rill.metadata.raft;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.deleteByName;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One voter, as the embedded default runs it: fast first election, and every topic id, leader
 * epoch and config survives restarts from the log alone, from a snapshot plus the log tail,
 * and from the snapshot taken on close.
 */
class SingleNodeQuorumIT {
  private static final String CLUSTER = "test-cluster";
  private static final long JOIN_TIMEOUT_S = 15;

  @TempDir Path dir;
  private final int port = Ports.freePort();

  private MetadataNodeConfig config() {
    // The brokers these tests register are commands only: no process listens on their
    // endpoints, so the controller's listener probe would (rightly) fence them as dead.
    return MetadataNodeConfig.of(1, "1@127.0.0.1:" + port, dir, CLUSTER)
        .withFenceRefusingBrokers(false);
  }

  private static ControllerResponse send(RaftMetadataNode node,
      io.rill.metadata.command.ControllerCommand c) throws Exception {
    return node.submit(c).get(JOIN_TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Test
  void firstCommandCommitsSoonAfterStartAndLatencyIsLow() throws Exception {
    long startNs = System.nanoTime();
    RaftMetadataNode closing;
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      closing = node;
      long startedNs = System.nanoTime();
      ControllerResponse r = send(node, register(1, UUID.randomUUID()));
      long firstCommitNs = System.nanoTime();
      assertThat(r.getRegisterBroker().getErrorCode()).isEqualTo(Errors.NONE.code);
      long epoch = r.getRegisterBroker().getBrokerEpoch();
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      int writes = 200;
      long[] latencyNs = new long[writes];
      for (int i = 0; i < writes; i++) {
        long t0 = System.nanoTime();
        ControllerResponse c = send(node, command(createTopics(topic("t" + i, 1, 1))));
        latencyNs[i] = System.nanoTime() - t0;
        assertThat(c.getCreateTopics().getTopics(0).getErrorCode()).isEqualTo(Errors.NONE.code);
      }
      Arrays.sort(latencyNs);
      System.out.printf("single node: start() %d ms, start -> first commit %d ms;"
              + " write latency p50 %.2f ms, p99 %.2f ms over %d writes%n",
          TimeUnit.NANOSECONDS.toMillis(startedNs - startNs),
          TimeUnit.NANOSECONDS.toMillis(firstCommitNs - startNs),
          latencyNs[writes / 2] / 1e6, latencyNs[writes * 99 / 100] / 1e6, writes);
      assertThat(TimeUnit.NANOSECONDS.toMillis(firstCommitNs - startedNs))
          .as("first commit after start() returns").isLessThan(2_000);
      assertThat(node.image().topics()).hasSize(writes);
    }
    closing.close(); // already closed: close is idempotent
    long closeStartNs;
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      Ports.await(java.time.Duration.ofSeconds(10), "restart", () -> node.isActiveController());
      closeStartNs = System.nanoTime();
    }
    long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStartNs);
    System.out.printf("single node: close() with snapshot %d ms%n", closeMs);
    assertThat(closeMs).as("close within the shutdown budget").isLessThan(3_000);
  }

  @Test
  void topicIdsAndLeaderEpochsSurviveRestartFromLogAndFromSnapshotPlusTail() throws Exception {
    MetadataImage before;
    long snapshotIndex;
    // 1. Build some state; close without a snapshot: the restart replays the log alone.
    try (RaftMetadataNode node = RaftMetadataNode.start(config().withSnapshotOnClose(false))) {
      long epoch = send(node, register(1, UUID.randomUUID())).getRegisterBroker().getBrokerEpoch();
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      send(node, command(createTopics(topic("a", 3, 1), topic("b", 1, 1))));
      // Fence and unfence: the leader goes away and comes back, so epochs move.
      send(node, heartbeat(1, epoch, node.image().offset(), true, false));
      assertThat(node.image().topic("a").orElseThrow().partition(0).leader())
          .isEqualTo(PartitionRegistration.NO_LEADER);
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      before = node.image();
    }
    assertThat(before.topic("a").orElseThrow().partition(0).leaderEpoch()).isEqualTo(2);
    try (RaftMetadataNode node = RaftMetadataNode.start(config().withSnapshotOnClose(false))) {
      Ports.await(java.time.Duration.ofSeconds(10), "log replay",
          () -> node.image().offset() >= before.offset());
      assertThat(node.loadedSnapshotIndex()).isEqualTo(-1);
      assertThat(node.image()).isEqualTo(before);
      // 2. Snapshot, then a tail of commands after it.
      snapshotIndex = node.takeSnapshot().get(JOIN_TIMEOUT_S, TimeUnit.SECONDS);
      assertThat(snapshotIndex).isGreaterThanOrEqualTo(before.offset());
      send(node, command(createTopics(topic("c", 2, 1))));
      send(node, deleteByName("b"));
    }
    MetadataImage afterTail;
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      assertThat(node.loadedSnapshotIndex()).isEqualTo(snapshotIndex);
      Ports.await(java.time.Duration.ofSeconds(10), "tail replay",
          () -> node.image().topic("c").isPresent() && node.image().topic("b").isEmpty());
      TopicImage a = node.image().topic("a").orElseThrow();
      assertThat(a.id()).isEqualTo(before.topic("a").orElseThrow().id());
      assertThat(a.partition(0).leaderEpoch()).isEqualTo(2);
      // 3. Recreating a deleted topic gives it a new id.
      send(node, command(createTopics(topic("b", 1, 1))));
      assertThat(node.image().topic("b").orElseThrow().id())
          .isNotEqualTo(before.topic("b").orElseThrow().id());
      afterTail = node.image();
    }
    // 4. The snapshot taken on close holds everything; old snapshots are pruned.
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      assertThat(node.loadedSnapshotIndex()).isGreaterThanOrEqualTo(afterTail.offset());
      assertThat(node.image()).isEqualTo(afterTail);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> snapshots = files.filter(p -> p.getFileName().toString()
          .matches("snapshot\\.\\d+_\\d+")).toList();
      assertThat(snapshots).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void listenersSeeChangesAndSilentBrokersAreFencedByTheActiveController() throws Exception {
    List<MetadataDelta> deltas = new CopyOnWriteArrayList<>();
    try (RaftMetadataNode node = RaftMetadataNode.start(config().withSessionTimeoutMs(500))) {
      node.addListener(deltas::add);
      long epoch = send(node, register(1, UUID.randomUUID())).getRegisterBroker().getBrokerEpoch();
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      send(node, command(createTopics(topic("watched", 2, 1))));
      assertThat(deltas).anySatisfy(d -> assertThat(d.createdTopics())
          .extracting(TopicImage::name).contains("watched"));
      // No more heartbeats: the session expires and the liveness check fences broker 1.
      Ports.await(java.time.Duration.ofSeconds(10), "broker 1 fenced",
          () -> node.image().broker(1).orElseThrow().fenced());
      assertThat(node.image().topic("watched").orElseThrow().partition(0).hasLeader()).isFalse();
      // The image is published before listeners run (both on the apply thread), so the delta
      // that took the leadership away may reach the list a moment after the image shows it.
      Ports.await(java.time.Duration.ofSeconds(10), "a delta changing 'watched'",
          () -> deltas.stream().anyMatch(d -> d.changedTopics().stream()
              .anyMatch(t -> t.name().equals("watched"))));
      // A heartbeat from the caught-up broker brings it and its leadership back.
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      assertThat(node.image().topic("watched").orElseThrow().partition(0).leader()).isEqualTo(1);
    }
  }

  /**
   * An answer's metadata offset is one a broker's image reaches: a command that changes nothing
   * (here CreateTopics of an existing topic) publishes no image, so it must name the last one
   * published, not its own index. Naming its own index made every such admin answer wait out
   * the broker's 2 s bound (Kafka Connect re-creates its three topics at each worker start).
   */
  @Test
  void aCommandThatChangesNothingAnswersWithTheOffsetOfTheLastPublishedImage() throws Exception {
    List<Long> published = new CopyOnWriteArrayList<>();
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      node.addListener(d -> published.add(d.current().offset()));
      long epoch = send(node, register(1, UUID.randomUUID())).getRegisterBroker().getBrokerEpoch();
      send(node, heartbeat(1, epoch, node.image().offset(), false, false));
      ControllerResponse created = send(node, command(createTopics(topic("once", 1, 1))));
      assertThat(created.getCreateTopics().getTopics(0).getErrorCode())
          .isEqualTo(Errors.NONE.code);
      assertThat(created.getMetadataOffset()).isEqualTo(published.get(published.size() - 1));
      ControllerResponse again = send(node, command(createTopics(topic("once", 1, 1))));
      assertThat(again.getCreateTopics().getTopics(0).getErrorCode())
          .isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code);
      assertThat(node.image().offset()).isGreaterThan(created.getMetadataOffset());
      assertThat(again.getMetadataOffset()).as("published images %s", published)
          .isEqualTo(created.getMetadataOffset());
    }
  }

  @Test
  void restartingOnAnExistingDirectoryRecoversInsteadOfFailing() throws IOException {
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      assertThat(node.nodeId()).isEqualTo(1);
    }
    try (RaftMetadataNode node = RaftMetadataNode.start(config())) {
      Ports.await(java.time.Duration.ofSeconds(10), "leader", () -> node.leaderId().isPresent());
      assertThat(node.leaderId()).hasValue(1);
    }
  }
}
