package io.rill.chaos.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own tools move data on a Rill cluster of four brokers (in this JVM):
 * {@code kafka-reassign-partitions} executes, lists and verifies a reassignment, {@code
 * kafka-leader-election} gives the partition to its new preferred replica, and {@code
 * kafka-cluster unregister} removes a stopped broker. Each tool runs in a child JVM.
 */
class KafkaMovingDataToolsIT {
  private static final Duration MOVE_MAX = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void reassignPartitionsLeaderElectionAndClusterUnregisterWork() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3, 0, 1, Map.of());
        Admin admin = admin(cluster.bootstrap(1))) {
      String bootstrap = cluster.bootstrap(1);
      admin.createTopics(List.of(new NewTopic("tools", Map.of(0, List.of(1, 2, 3))))).all()
          .get();
      Path plan = Files.writeString(dir.resolve("plan.json"), """
          {"version": 1, "partitions": [{"topic": "tools", "partition": 0,
            "replicas": [4, 1, 3], "log_dirs": ["any", "any", "any"]}]}
          """);
      String executed = reassign(bootstrap, "--reassignment-json-file", plan.toString(),
          "--execute").ok();
      assertThat(executed).contains("Successfully started partition reassignment");
      await("kafka-reassign-partitions --verify to report tools-0 completed", () ->
          reassign(bootstrap, "--reassignment-json-file", plan.toString(), "--verify")
              .output().contains("Reassignment of partition tools-0 is completed"));
      assertThat(reassign(bootstrap, "--list").ok())
          .contains("No partition reassignments found");
      assertThat(replicas(admin)).containsExactly(4, 1, 3);
      assertThat(partition(admin).leader().id()).as("broker 1 stayed a replica: it still leads")
          .isEqualTo(1);

      String elected = KafkaTool.run("org.apache.kafka.tools.LeaderElectionCommand", List.of(
          "--bootstrap-server", bootstrap, "--election-type", "preferred", "--topic", "tools",
          "--partition", "0")).ok();
      assertThat(elected).contains("Successfully completed leader election (PREFERRED) for"
          + " partitions tools-0");
      assertThat(partition(admin).leader().id()).isEqualTo(4);

      // Broker 4 is moved off again, stopped, then unregistered.
      Path back = Files.writeString(dir.resolve("back.json"), """
          {"version": 1, "partitions": [{"topic": "tools", "partition": 0,
            "replicas": [1, 2, 3]}]}
          """);
      reassign(bootstrap, "--reassignment-json-file", back.toString(), "--execute").ok();
      await("tools-0 back on brokers 1, 2, 3", () -> replicas(admin).equals(List.of(1, 2, 3)));
      assertThat(reassign(bootstrap, "--reassignment-json-file", back.toString(), "--verify")
          .ok()).contains("Reassignment of partition tools-0 is completed");
      cluster.node(4).close();
      KafkaTool.run("org.apache.kafka.tools.ClusterTool", List.of("unregister",
          "--bootstrap-server", bootstrap, "--id", "4")).ok();
      KafkaTool again = KafkaTool.run("org.apache.kafka.tools.ClusterTool", List.of(
          "unregister", "--bootstrap-server", bootstrap, "--id", "4"));
      assertThat(again.exit()).as(again.output()).isNotZero();
      assertThat(again.output()).contains("BrokerIdNotRegisteredException");
    }
  }

  /**
   * {@code --throttle} (KIP-73): the tool sets the brokers' replication rates and the topic's
   * throttled replicas; the new replica then copies at about that rate once the quota's
   * ten-second allowance is spent, and {@code --verify} removes the throttle once it is done.
   */
  @Test
  void aThrottledReassignmentCopiesAtTheThrottledRate() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3, 0, 1, Map.of());
        Admin admin = admin(cluster.bootstrap(1))) {
      String bootstrap = cluster.bootstrap(1);
      admin.createTopics(List.of(new NewTopic("slow", Map.of(0, List.of(1, 2, 3))))).all()
          .get();
      int bytes = 2 << 20;
      byte[] value = new byte[16 * 1024];
      new java.util.Random(3).nextBytes(value);
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("acks", "all");
      try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(p,
          new org.apache.kafka.common.serialization.ByteArraySerializer(),
          new org.apache.kafka.common.serialization.ByteArraySerializer())) {
        for (int i = 0; i < bytes / value.length; i++) {
          producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("slow", 0, null,
              value));
        }
        producer.flush();
      }
      Path plan = Files.writeString(dir.resolve("slow.json"), """
          {"version": 1, "partitions": [{"topic": "slow", "partition": 0,
            "replicas": [4, 2, 3]}]}
          """);
      long rate = 128 * 1024;
      long startNs = System.nanoTime();
      assertThat(reassign(bootstrap, "--reassignment-json-file", plan.toString(), "--execute",
          "--throttle", Long.toString(rate)).ok())
          .contains("The inter-broker throttle limit was set");
      await("the throttled move of slow-0 to complete", () ->
          reassign(bootstrap, "--reassignment-json-file", plan.toString(), "--verify")
              .output().contains("Reassignment of partition slow-0 is completed"));
      double seconds = (System.nanoTime() - startNs) / 1e9;
      // 10 s of the rate pass at once (the quota's window), the rest at the rate.
      double expected = (bytes - 10.0 * rate) / rate;
      System.out.printf("KafkaMovingDataToolsIT: 2 MiB moved under a %d B/s throttle in %.1f s"
          + " (the rate alone allows it in no less than %.1f s)%n", rate, seconds, expected);
      assertThat(seconds).as("the throttle held the copy back").isGreaterThan(expected * 0.7);
      assertThat(replicas(admin, "slow")).containsExactly(4, 2, 3);
      String brokerConfigs = KafkaTool.run("kafka.admin.ConfigCommand", List.of(
          "--bootstrap-server", bootstrap, "--describe", "--entity-type", "brokers",
          "--entity-name", "4")).ok();
      assertThat(brokerConfigs).as("--verify removed the throttle")
          .doesNotContain("follower.replication.throttled.rate");
    }
  }

  private static KafkaTool reassign(String bootstrap, String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-server", bootstrap));
    all.addAll(List.of(args));
    return KafkaTool.run("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", all);
  }

  private static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return Admin.create(p);
  }

  private static TopicPartitionInfo partition(Admin admin) throws Exception {
    return partition(admin, "tools");
  }

  private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
        .partitions().get(0);
  }

  private static List<Integer> replicas(Admin admin) throws Exception {
    return replicas(admin, "tools");
  }

  private static List<Integer> replicas(Admin admin, String topic) throws Exception {
    return partition(admin, topic).replicas().stream().map(Node::id).toList();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + MOVE_MAX.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + MOVE_MAX + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
