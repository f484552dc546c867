package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two combined nodes, a controller-only node and a broker-only node, in this JVM, form one
 * cluster: the three voters make the quorum, the three brokers serve; every broker tells the
 * same story (cluster id, brokers, controller, quorum), a topic created through one broker is
 * visible and usable through every other, and replicas and leaders spread evenly. One cluster
 * is shared by the tests here; none of them stops a node (ClusterFailoverIT kills real
 * processes, with three combined nodes and a broker-only one).
 */
class ClusterIT {
  private static Path dir;
  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Files.createTempDirectory("cluster-it");
    long t0 = System.nanoTime();
    cluster = TestCluster.start(dir, 2, 1, 1, Map.of());
    System.out.printf("ClusterIT: 2 combined + 1 controller-only + 1 broker-only nodes serving"
        + " after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Admin admin(int nodeId) {
    return Admin.create(cluster.clientProps(nodeId));
  }

  @Test
  void everyBrokerDescribesTheSameClusterOfThreeBrokersAndThreeVoters() throws Exception {
    String clusterId = null;
    Integer controller = null;
    for (int id : cluster.brokerIds()) {
      try (Admin admin = admin(id)) {
        DescribeClusterResult d = admin.describeCluster();
        Set<Integer> brokers = d.nodes().get().stream().map(Node::id).collect(Collectors.toSet());
        assertThat(brokers).as("brokers seen through node %s", id).containsExactlyInAnyOrder(1, 2, 4);
        String cid = d.clusterId().get();
        assertThat(cid).hasSize(22);
        if (clusterId != null) {
          assertThat(cid).as("cluster id through node %s", id).isEqualTo(clusterId);
        }
        clusterId = cid;
        int c = d.controller().get().id();
        if (controller != null) {
          assertThat(c).as("controller through node %s", id).isEqualTo(controller);
        }
        controller = c;
      }
    }
    Integer quorumLeader = null;
    for (int id : cluster.brokerIds()) {
      try (Admin admin = admin(id)) {
        QuorumInfo q = admin.describeMetadataQuorum().quorumInfo().get();
        if (quorumLeader != null) {
          assertThat(q.leaderId()).as("quorum leader through node %s", id)
              .isEqualTo(quorumLeader);
        }
        quorumLeader = q.leaderId();
        // Clients are told of the quorum leader when it is a broker, else of the lowest broker.
        assertThat(controller).isEqualTo(quorumLeader == 3 ? 1 : quorumLeader);
        assertThat(q.voters()).extracting(QuorumInfo.ReplicaState::replicaId)
            .containsExactlyInAnyOrder(1, 2, 3);
        assertThat(q.observers()).extracting(QuorumInfo.ReplicaState::replicaId)
            .containsExactly(4);
        assertThat(q.highWatermark()).isPositive();
        assertThat(q.voters()).allSatisfy(v -> assertThat(v.logEndOffset()).isPositive());
      }
    }
    for (int id : List.of(1, 2, 3, 4)) {
      assertThat(Files.readString(dir.resolve("node-" + id).resolve("meta.properties")))
          .as("node %s's meta.properties", id)
          .contains("cluster.id=" + clusterId).contains("node.id=" + id);
    }
  }

  @Test
  void aTopicCreatedThroughOneNodeIsServedThroughAnotherWithReplicasSpreadEvenly()
      throws Exception {
    try (Admin viaVoter = admin(1)) {
      viaVoter.createTopics(List.of(new NewTopic("spread", 8, (short) 3))).all().get();
    }
    long ackedNs = System.nanoTime();
    for (int id : cluster.brokerIds()) {
      TestCluster.await("node " + id + "'s image to have the topic", Duration.ofSeconds(10),
          () -> cluster.node(id).metadataImage().topic("spread").isPresent());
    }
    System.out.printf("ClusterIT: CreateTopics acknowledged -> in every broker's image after"
        + " %d us%n", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - ackedNs));
    TopicDescription d;
    try (Admin viaBrokerOnly = admin(4)) {
      d = viaBrokerOnly.describeTopics(List.of("spread")).allTopicNames().get().get("spread");
    }
    assertThat(d.partitions()).hasSize(8);
    Map<Integer, Integer> replicasPerBroker = new TreeMap<>();
    Map<Integer, Integer> leadersPerBroker = new TreeMap<>();
    for (TopicPartitionInfo p : d.partitions()) {
      assertThat(p.replicas()).hasSize(3);
      assertThat(p.isr()).containsExactlyInAnyOrderElementsOf(p.replicas());
      assertThat(p.leader().id()).isEqualTo(p.replicas().get(0).id());
      p.replicas().forEach(r -> replicasPerBroker.merge(r.id(), 1, Integer::sum));
      leadersPerBroker.merge(p.leader().id(), 1, Integer::sum);
    }
    System.out.println("ClusterIT: replicas per broker " + replicasPerBroker
        + ", leaders per broker " + leadersPerBroker);
    assertThat(replicasPerBroker.keySet()).containsExactlyInAnyOrder(1, 2, 4);
    assertThat(spread(replicasPerBroker)).isLessThanOrEqualTo(1);
    assertThat(spread(leadersPerBroker)).isLessThanOrEqualTo(1);

    // Produced through a client that only knows node 2, read back through one that knows node 4.
    Map<String, Object> pp = new HashMap<>();
    pp.put("bootstrap.servers", cluster.bootstrap(2));
    List<RecordMetadata> acked = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 80; i++) {
        acked.add(producer.send(new ProducerRecord<>("spread", i % 8, "k" + i, "v" + i)).get());
      }
    }
    Map<String, Object> cp = new HashMap<>();
    cp.put("bootstrap.servers", cluster.bootstrap(4));
    cp.put("auto.offset.reset", "earliest");
    cp.put("group.id", "spread-readers");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("spread"));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < acked.size() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      assertThat(values).as("records read back through the broker-only node")
          .hasSize(80).doesNotHaveDuplicates();
      consumer.commitSync();
    }
  }

  @Test
  void aControllerOnlyNodeVotesButServesNoClients() throws Exception {
    assertThat(cluster.node(3).metadataImage().topics()).isEmpty();
    try (java.net.Socket s = new java.net.Socket()) {
      assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress("127.0.0.1",
          cluster.configuredPort(3)), 2_000)).isInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void askingForMoreReplicasThanBrokersIsInvalidReplicationFactor() throws Exception {
    try (Admin admin = admin(4)) {
      assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-many", 1, (short) 4)))
          .all().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(InvalidReplicationFactorException.class);
    }
  }

  private static int spread(Map<Integer, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0)
        - counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
  }
}
