package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-951 on a three-node cluster: a broker that does not lead a partition answers a Produce
 * (v10+) or Fetch (v16+) for it with NOT_LEADER_OR_FOLLOWER naming the real leader, its epoch
 * and its endpoint; a Fetch with a stale leader epoch gets FENCED_LEADER_EPOCH naming the new
 * leader; older versions get the same errors and no hint. Requests are built and answers parsed
 * by kafka-clients' own classes, so what is checked is what the official client reads.
 *
 * <p>The last test stops a node (to move a leadership); it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderHintsIT {
  private static final Duration AGREE_MAX = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final String HOST = "127.0.0.1";

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Admin admin;
  /** Nodes still running. */
  private static final List<Integer> live = new ArrayList<>();

  /** A partition's leader and leader epoch as every live broker reports it. */
  private record Leadership(int leader, int epoch, Uuid topicId) {}

  /** A NodeEndpoints entry. */
  private record Endpoint(int id, String host, int port) {}

  /** A produce answer's one partition and its NodeEndpoints. */
  private record ProduceAnswer(ProduceResponseData.PartitionProduceResponse partition,
      List<Endpoint> endpoints) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3, 0, 0, Map.of("default.replication.factor", "3"));
    live.addAll(cluster.brokerIds());
    admin = Admin.create(cluster.clientProps(1));
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aFollowerAnsweringAProduceNamesTheLeader() throws Exception {
    String topic = "hinted-produce";
    Leadership now = createAndAwaitLeader(topic);
    for (int follower : followersOf(now)) {
      ProduceAnswer answer = produce(follower, topic, 12);
      ProduceResponseData.PartitionProduceResponse p = answer.partition();
      assertThat(Errors.forCode(p.errorCode())).as("from follower %s", follower)
          .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
      assertThat(p.currentLeader().leaderId()).as("leader named by %s", follower)
          .isEqualTo(now.leader());
      assertThat(p.currentLeader().leaderEpoch()).as("epoch named by %s", follower)
          .isEqualTo(now.epoch());
      assertOnlyEndpointIsOf(now.leader(), answer.endpoints());

      ProduceAnswer v9 = produce(follower, topic, 9);
      assertThat(Errors.forCode(v9.partition().errorCode()))
          .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
      assertThat(v9.partition().currentLeader().leaderId()).as("v9 carries no hint")
          .isEqualTo(-1);
      assertThat(v9.endpoints()).as("v9 carries no endpoints").isEmpty();
    }
    ProduceAnswer accepted = produce(now.leader(), topic, 12);
    assertThat(Errors.forCode(accepted.partition().errorCode())).as("the leader takes the write")
        .isEqualTo(Errors.NONE);
    assertThat(accepted.endpoints()).as("no hint without a leader error").isEmpty();
  }

  @Test
  @Order(2)
  void aFollowerAnsweringAFetchNamesTheLeader() throws Exception {
    String topic = "hinted-fetch";
    Leadership now = createAndAwaitLeader(topic);
    for (int follower : followersOf(now)) {
      FetchResponse response = fetch(follower, topic, now.topicId(), Optional.empty(), 17);
      FetchResponseData.PartitionData p = onlyPartition(response);
      assertThat(Errors.forCode(p.errorCode())).as("from follower %s", follower)
          .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
      assertThat(p.currentLeader().leaderId()).isEqualTo(now.leader());
      assertThat(p.currentLeader().leaderEpoch()).isEqualTo(now.epoch());
      assertOnlyEndpointIsOf(now.leader(), endpoints(response));

      FetchResponse v15 = fetch(follower, topic, now.topicId(), Optional.empty(), 15);
      FetchResponseData.PartitionData old = onlyPartition(v15);
      assertThat(Errors.forCode(old.errorCode())).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
      assertThat(old.currentLeader().leaderId())
          .as("v15 has CurrentLeader (KIP-595) but Kafka fills it only from v16").isEqualTo(-1);
      assertThat(v15.data().nodeEndpoints()).as("v15 carries no endpoints").isEmpty();
    }
  }

  @Test
  @Order(3)
  void aStaleEpochIsFencedAndTheAnswerNamesTheNewLeader() throws Exception {
    String topic = "hinted-fenced";
    Leadership before = createAndAwaitLeader(topic);
    cluster.node(before.leader()).close();
    live.remove(Integer.valueOf(before.leader()));
    Leadership after = awaitLeader(topic, leader -> leader != before.leader());
    assertThat(after.epoch()).as("a new leader, a new epoch").isGreaterThan(before.epoch());

    for (int broker : live) {
      FetchResponse response = fetch(broker, topic, after.topicId(),
          Optional.of(before.epoch()), 17);
      FetchResponseData.PartitionData p = onlyPartition(response);
      assertThat(Errors.forCode(p.errorCode())).as("epoch %s at broker %s", before.epoch(),
          broker).isEqualTo(Errors.FENCED_LEADER_EPOCH);
      assertThat(p.currentLeader().leaderId()).isEqualTo(after.leader());
      assertThat(p.currentLeader().leaderEpoch()).isEqualTo(after.epoch());
      assertOnlyEndpointIsOf(after.leader(), endpoints(response));
    }
  }

  // ---- requests ----------------------------------------------------------------------------

  private static ProduceAnswer produce(int broker, String topic, int version) throws Exception {
    ProduceRequestData.TopicProduceDataCollection topics =
        new ProduceRequestData.TopicProduceDataCollection();
    topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(
        List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
            MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)))))));
    ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(10_000)
        .setTopicData(topics);
    ProduceResponse response = OfficialRequests.send(port(broker),
        new ProduceRequest.Builder((short) version, (short) version, data), version);
    return new ProduceAnswer(
        response.data().responses().iterator().next().partitionResponses().get(0),
        response.data().nodeEndpoints().stream()
            .map(n -> new Endpoint(n.nodeId(), n.host(), n.port())).toList());
  }

  private static FetchResponse fetch(int broker, String topic, Uuid topicId,
      Optional<Integer> currentLeaderEpoch, int version) throws Exception {
    FetchRequest.PartitionData partition = new FetchRequest.PartitionData(topicId, 0L, -1L,
        1 << 20, currentLeaderEpoch);
    FetchRequest.Builder builder = FetchRequest.Builder.forConsumer((short) version, 0, 0,
        Map.of(new TopicPartition(topic, 0), partition)).metadata(FetchMetadata.LEGACY);
    return OfficialRequests.send(port(broker), builder, version);
  }

  private static FetchResponseData.PartitionData onlyPartition(FetchResponse response) {
    assertThat(response.data().responses()).hasSize(1);
    assertThat(response.data().responses().get(0).partitions()).hasSize(1);
    return response.data().responses().get(0).partitions().get(0);
  }

  private static List<Endpoint> endpoints(FetchResponse response) {
    return response.data().nodeEndpoints().stream()
        .map(n -> new Endpoint(n.nodeId(), n.host(), n.port())).toList();
  }

  /** The leader's client listener, the one the request came in on: the real address. */
  private static void assertOnlyEndpointIsOf(int leader, List<Endpoint> endpoints) {
    assertThat(endpoints).as("NodeEndpoints")
        .containsExactly(new Endpoint(leader, HOST, port(leader)));
  }

  // ---- cluster state ----------------------------------------------------------------------

  private static int port(int broker) {
    return cluster.node(broker).boundPort("PLAINTEXT");
  }

  private static List<Integer> followersOf(Leadership l) {
    List<Integer> followers = live.stream().filter(id -> id != l.leader()).toList();
    assertThat(followers).as("followers of a replication-factor-3 partition").hasSize(2);
    return followers;
  }

  private static Leadership createAndAwaitLeader(String topic) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get();
    return awaitLeader(topic, leader -> true);
  }

  /**
   * Polls every live broker's Metadata until all of them report the same leader (one that
   * {@code wanted} accepts) and epoch for partition 0 of {@code topic}: a broker that has not
   * heard of the topic yet answers UNKNOWN_TOPIC_OR_PARTITION, not NOT_LEADER_OR_FOLLOWER.
   */
  private static Leadership awaitLeader(String topic, IntPredicate wanted) throws Exception {
    long deadline = System.nanoTime() + AGREE_MAX.toNanos();
    List<Leadership> seen = List.of();
    while (true) {
      seen = new ArrayList<>();
      for (int broker : live) {
        seen.add(leadershipAt(broker, topic));
      }
      Leadership first = seen.get(0);
      if (first != null && first.leader() >= 0 && wanted.test(first.leader())
          && seen.stream().allMatch(first::equals)) {
        return first;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + AGREE_MAX + " waiting for brokers "
            + live + " to agree on a leader of " + topic + "-0; they said " + seen);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** What {@code broker}'s metadata says of partition 0 of {@code topic}, or null. */
  private static Leadership leadershipAt(int broker, String topic) throws Exception {
    MetadataResponse response = OfficialRequests.send(port(broker),
        new MetadataRequest.Builder(List.of(topic), false), 12);
    MetadataResponseTopic t = response.data().topics().find(topic);
    if (t == null || t.errorCode() != Errors.NONE.code() || t.partitions().isEmpty()) {
      return null;
    }
    MetadataResponsePartition p = t.partitions().get(0);
    return new Leadership(p.leaderId(), p.leaderEpoch(), t.topicId());
  }
}
