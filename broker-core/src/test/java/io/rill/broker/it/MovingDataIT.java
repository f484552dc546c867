package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving data on a healthy five-broker cluster, through the official Admin client: a
 * reassignment copies a partition to its new replicas and removes the old one (its log deleted),
 * a preferred election gives a partition back to its first replica, a reassignment towards a
 * broker that is down waits and can be cancelled, and a broker gone for good is unregistered.
 */
class MovingDataIT {
  private static final Duration MOVE_MAX = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3, 0, 2, Map.of());
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap(1));
    admin = Admin.create(p);
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

  private static TopicPartitionInfo describe(String topic) {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      return d.partitions().get(0);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("describe " + topic, e);
    }
  }

  private static List<Integer> ids(List<Node> nodes) {
    return nodes.stream().map(Node::id).toList();
  }

  private static void create(String topic, List<Integer> replicas) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, Map.of(0, replicas)))).all().get();
    TestCluster.await("full ISR of " + topic, MOVE_MAX,
        () -> ids(describe(topic).isr()).size() == replicas.size());
  }

  private static void reassign(TopicPartition tp, List<Integer> target) throws Exception {
    admin.alterPartitionReassignments(Map.of(tp, Optional.of(
        new NewPartitionReassignment(target)))).all().get();
  }

  private static Map<TopicPartition, PartitionReassignment> ongoing() {
    try {
      return admin.listPartitionReassignments().reassignments().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> produce(String topic, int count) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap());
    p.put("acks", "all");
    List<String> values = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        values.add("v" + i);
        producer.send(new ProducerRecord<>(topic, 0, null, "v" + i));
      }
      producer.flush();
    }
    return values;
  }

  private static List<String> readAll(String topic, int expected) {
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap());
    p.put("auto.offset.reset", "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + MOVE_MAX.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          assertThat(r.offset()).as("offsets are kept").isEqualTo(values.size());
          values.add(r.value());
        }
      }
    }
    return values;
  }

  private static Path partitionDir(int broker, String topic) {
    return dir.resolve("node-" + broker).resolve(topic + "-0");
  }

  @Test
  void aReassignmentCopiesThePartitionToItsNewReplicasAndDeletesTheOldOne() throws Exception {
    String topic = "moved";
    TopicPartition tp = new TopicPartition(topic, 0);
    create(topic, List.of(1, 2, 3));
    List<String> written = produce(topic, 5000);
    long startNs = System.nanoTime();
    reassign(tp, List.of(2, 3, 4));
    TestCluster.await("the reassignment of " + tp + " to complete", MOVE_MAX,
        () -> !ongoing().containsKey(tp));
    System.out.printf("MovingDataIT: %s moved from [1, 2, 3] to [2, 3, 4] in %d ms%n", tp,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    TopicPartitionInfo after = describe(topic);
    assertThat(ids(after.replicas())).containsExactly(2, 3, 4);
    assertThat(ids(after.isr())).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(after.leader().id()).as("the old leader left; the first target in sync leads")
        .isEqualTo(2);
    assertThat(readAll(topic, written.size())).isEqualTo(written);
    TestCluster.await("broker 1 to delete its replica of " + tp, MOVE_MAX,
        () -> !Files.exists(partitionDir(1, topic)));
    assertThat(partitionDir(4, topic)).isDirectory();
    assertThat(Files.size(partitionDir(4, topic).resolve("00000000000000000000.log")))
        .isEqualTo(Files.size(partitionDir(2, topic).resolve("00000000000000000000.log")));
  }

  @Test
  void aPreferredElectionGivesThePartitionBackToItsFirstReplica() throws Exception {
    String topic = "elect";
    TopicPartition tp = new TopicPartition(topic, 0);
    create(topic, List.of(1, 2, 3));
    // Reordering completes at once and keeps the leader: 1 leads, 2 is now preferred.
    reassign(tp, List.of(2, 1, 3));
    TestCluster.await("the new order of " + tp, MOVE_MAX,
        () -> ids(describe(topic).replicas()).equals(List.of(2, 1, 3)));
    assertThat(describe(topic).leader().id()).isEqualTo(1);
    Map<TopicPartition, Optional<Throwable>> result =
        admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions().get();
    assertThat(result.get(tp)).isEmpty();
    TestCluster.await("broker 2 to lead " + tp, MOVE_MAX,
        () -> describe(topic).leader().id() == 2);
    assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).partitions().get()
        .get(tp)).containsInstanceOf(ElectionNotNeededException.class);
  }

  @Test
  void aReassignmentToADownBrokerWaitsAndIsCancelledAndTheBrokerIsUnregistered()
      throws Exception {
    String topic = "towards-down";
    TopicPartition tp = new TopicPartition(topic, 0);
    create(topic, List.of(1, 2, 3));
    List<String> written = produce(topic, 100);
    cluster.node(5).close(); // still registered, fenced: a valid target that never catches up
    reassign(tp, List.of(1, 2, 5));
    PartitionReassignment pending = ongoing().get(tp);
    assertThat(pending).isNotNull();
    assertThat(pending.addingReplicas()).containsExactly(5);
    assertThat(pending.removingReplicas()).containsExactly(3);
    assertThat(pending.replicas()).containsExactly(1, 2, 5, 3);

    admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all().get();
    assertThat(ongoing()).doesNotContainKey(tp);
    assertThat(ids(describe(topic).replicas())).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(tp, Optional.empty()))
        .all().get()).hasCauseInstanceOf(NoReassignmentInProgressException.class);
    assertThat(readAll(topic, written.size())).isEqualTo(written);

    admin.unregisterBroker(5).all().get();
    assertThatThrownBy(() -> admin.unregisterBroker(5).all().get())
        .hasCauseInstanceOf(BrokerIdNotRegisteredException.class);
    assertThatThrownBy(() -> reassign(tp, List.of(1, 2, 5)))
        .hasCauseInstanceOf(InvalidReplicaAssignmentException.class)
        .hasMessageContaining("broker 5");
  }
}
