package io.rill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rill partitions reassign|reassignments|elect-leaders} and {@code rill cluster
 * drain|unregister} against four brokers in this JVM, checked through the official Admin: a
 * reassignment followed to its end, a broker drained of every replica (internal topics
 * included) and then unregistered, and the refusals (nowhere to drain to, bad specs).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MovingDataCliIT {
  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Cli cli;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3, 0, 1, Map.of("offsets.topic.num.partitions", "4"));
    cli = new Cli(cluster.bootstrap(1));
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

  private static List<TopicPartitionInfo> partitions(String topic) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    return d.partitions();
  }

  private static List<Integer> ids(List<Node> nodes) {
    return nodes.stream().map(Node::id).toList();
  }

  private static Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  @Test
  @Order(1)
  void reassignFollowsTheMoveToItsEnd() throws Exception {
    ok("topics", "create", "moving", "--partitions", "4", "--replication-factor", "3");
    // About 1.5 MiB to copy, which a follower throttle of 64 KiB/s (10 s of it pass at once)
    // stretches over a few seconds, so progress is seen while data moves.
    String line = "x".repeat(1000) + "\n";
    Cli.Result produced = cli.runWithInput(line.repeat(1500), "produce", "moving",
        "--partition", "0");
    assertThat(produced.exit()).as(produced.toString()).isZero();
    List<Integer> before = ids(partitions("moving").get(0).replicas());
    int spare = List.of(1, 2, 3, 4).stream().filter(b -> !before.contains(b)).findFirst()
        .orElseThrow();
    ok("configs", "alter", "--broker", Integer.toString(spare), "--set",
        "follower.replication.throttled.rate=65536");
    ok("configs", "alter", "--topic", "moving", "--set",
        "follower.replication.throttled.replicas=0:" + spare);
    List<Integer> target = List.of(spare, before.get(0), before.get(1));
    Cli.Result r = ok("partitions", "reassign", "moving:0=" + target.get(0) + ","
        + target.get(1) + "," + target.get(2), "--wait");
    assertThat(r.out()).contains("moving").contains("ok");
    assertThat(r.err()).contains("0 of 1 partitions moved, 1 in progress; ")
        .containsPattern("of 1\\.[0-9] MiB copied")
        .contains("1 of 1 partitions moved, 0 in progress");
    ok("configs", "alter", "--broker", Integer.toString(spare), "--delete",
        "follower.replication.throttled.rate");
    assertThat(ids(partitions("moving").get(0).replicas())).isEqualTo(target);
    assertThat(ok("partitions", "reassignments").out()).doesNotContain("moving");
    // The spare replica is preferred now; one election makes it lead.
    assertThat(ok("partitions", "elect-leaders", "moving:0").out()).contains("ok");
    // The Admin may ask a broker that applies the election a moment later.
    TestCluster.await("broker " + spare + " to lead moving-0", java.time.Duration.ofSeconds(30),
        () -> {
          try {
            return partitions("moving").get(0).leader().id() == spare;
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Test
  @Order(2)
  void aDrainedBrokerHoldsNothingAndIsThenUnregistered() throws Exception {
    // FindCoordinator creates __consumer_offsets: the drain must move internal topics too.
    admin.listConsumerGroupOffsets("drain-check").partitionsToOffsetAndMetadata().get();
    Cli.Result drained = ok("cluster", "drain", "4");
    assertThat(drained.err()).contains("Draining broker 4")
        .contains("Broker 4 holds no replicas now");
    for (String topic : admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
        .listInternal(true)).names().get()) {
      for (TopicPartitionInfo p : partitions(topic)) {
        assertThat(ids(p.replicas())).as("%s-%d", topic, p.partition()).doesNotContain(4);
      }
    }
    assertThat(ok("cluster", "drain", "4").err()).contains("holds no replicas: nothing to move");
    cluster.node(4).close();
    ok("cluster", "unregister", "4");
    Cli.Result again = cli.run("cluster", "unregister", "4");
    assertThat(again.exit()).as(again.toString()).isEqualTo(CliFailure.EXIT_REFUSED);
    assertThat(again.err()).contains("BROKER_ID_NOT_REGISTERED");
  }

  @Test
  @Order(3)
  void drainingWithNowhereToGoAndBadSpecsAreRefused() {
    Cli.Result nowhere = cli.run("cluster", "drain", "1");
    assertThat(nowhere.exit()).as(nowhere.toString()).isEqualTo(CliFailure.EXIT_REFUSED);
    assertThat(nowhere.err()).contains("cannot drain broker 1").contains("add a broker first");
    Cli.Result noTarget = cli.run("partitions", "reassign", "moving:0");
    assertThat(noTarget.exit()).as(noTarget.toString()).isEqualTo(CliFailure.EXIT_USAGE);
    Cli.Result badId = cli.run("partitions", "reassign", "moving:0=1,x");
    assertThat(badId.exit()).as(badId.toString()).isEqualTo(CliFailure.EXIT_USAGE);
    Cli.Result unknown = cli.run("partitions", "reassign", "nope:0=1,2,3");
    assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(CliFailure.EXIT_REFUSED);
    assertThat(unknown.out() + unknown.err()).contains("UNKNOWN_TOPIC_OR_PARTITION");
  }
}
