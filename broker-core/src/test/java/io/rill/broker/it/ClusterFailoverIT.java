package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that die for real (SIGKILL, each its own process): a killed broker's leaderships move
 * to other in-sync replicas within the session timeout plus an election, the killed quorum
 * leader is replaced and admin requests keep working, and every dead node comes back,
 * registers and is unfenced. Prints the measured times; asserts generous bounds only.
 */
class ClusterFailoverIT {
  /** The test nodes' broker.session.timeout.ms is 3 s; a move must follow within a few more. */
  private static final Duration LEADERSHIP_MOVE_MAX = Duration.ofSeconds(10);
  private static final Duration FAILOVER_MAX = Duration.ofSeconds(20);
  private static final Duration REJOIN_MAX = Duration.ofSeconds(60);
  private static final String TOPIC = "moves";

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static Admin admin;

  @BeforeAll
  static void start() {
    cluster = ProcessCluster.builder(dir).nodes(3).node(4, NodeRole.BROKER)
        .override("leader.imbalance.check.interval.seconds", "1").build();
    long t0 = System.nanoTime();
    cluster.start().awaitStarted(Duration.ofSeconds(90));
    System.out.printf("ClusterFailoverIT: 4 node processes serving %d ms after launch%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap());
    p.put("default.api.timeout.ms", "30000");
    // A request to a paused node fails after 5 s instead of 30, so polls move on.
    p.put("request.timeout.ms", "5000");
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

  private static TopicDescription describe(String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }

  private static Set<Integer> liveBrokers() throws Exception {
    return admin.describeCluster().nodes().get().stream().map(Node::id)
        .collect(Collectors.toSet());
  }

  @Test
  void aKilledBrokersLeadershipsMoveAndTheRestartedBrokerIsUnfenced() throws Exception {
    List<Long> movesMs = new ArrayList<>();
    int quorumLeader = quorumLeader();
    // Five kills of brokers that are not the quorum leader, in turn.
    List<Integer> victims = new ArrayList<>(List.of(1, 2, 3, 4));
    victims.remove(Integer.valueOf(quorumLeader));
    for (int round = 0; round < 5; round++) {
      // A fresh topic each round (until followers are back in sync, a restarted broker's old
      // partitions have shorter ISRs); the victim is the next broker in turn that leads some of
      // it (placement skips a broker that happens to be fenced at that moment).
      String topic = TOPIC + "-" + round;
      admin.createTopics(List.of(new NewTopic(topic, 12, (short) 3))).all().get();
      // The Admin may ask any broker, so each must know the topic (a broker that has not loaded
      // it yet answers UNKNOWN_TOPIC_OR_PARTITION, as Kafka's does).
      cluster.awaitTopicOnEveryBroker(topic, FAILOVER_MAX);
      Set<Integer> leading = leaders(topic);
      int first = round % victims.size();
      int chosen = -1;
      for (int i = 0; i < victims.size() && chosen < 0; i++) {
        int candidate = victims.get((first + i) % victims.size());
        if (leading.contains(candidate)) {
          chosen = candidate;
        }
      }
      int victim = chosen;
      assertThat(victim).as("a broker other than the quorum leader leads part of %s: %s", topic,
          leading).isPositive();
      long killNs = System.nanoTime();
      cluster.node(victim).kill();
      try {
        // One description, so both are seen in one broker's image: the fence moves the
        // leaderships and the ISR places in the same change, but a broker that follows the
        // metadata from afar may still hold the image before it (more so when the killed node
        // was the quorum leader), and the Admin may ask any broker.
        cluster.await("the leaderships and ISR places of killed node " + victim + " to move",
            LEADERSHIP_MOVE_MAX, () -> describe(topic).partitions().stream()
                .allMatch(p -> p.leader() != null && p.leader().id() != victim
                    && p.isr().stream().noneMatch(n -> n.id() == victim)));
        movesMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs));
      } finally {
        cluster.node(victim).start();
      }
      cluster.awaitStarted(REJOIN_MAX);
      cluster.await("restarted node " + victim + " to be unfenced", REJOIN_MAX,
          () -> liveBrokers().contains(victim));
      // Back in sync, it gets its preferred partitions back (auto.leader.rebalance.enable).
      cluster.await("every partition of " + topic + " led by its preferred replica again",
          REJOIN_MAX, () -> describe(topic).partitions().stream()
              .allMatch(p -> p.leader() != null && p.leader().id() == p.replicas().get(0).id()));
    }
    Collections.sort(movesMs);
    System.out.printf("ClusterFailoverIT: kill -9 -> leaderships moved, ms: %s (median %d,"
        + " max %d; session timeout 3000 ms)%n", movesMs, movesMs.get(2), movesMs.get(4));
  }

  @Test
  void whenTheQuorumLeaderIsKilledAnotherTakesOverAndTopicsCanStillBeCreated()
      throws Exception {
    int leader = quorumLeader();
    long killNs = System.nanoTime();
    cluster.node(leader).kill();
    try {
      failOver(leader, killNs);
    } finally {
      if (!cluster.node(leader).isAlive()) {
        cluster.node(leader).start();
      }
    }
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("restarted ex-leader " + leader + " to be unfenced", REJOIN_MAX,
        () -> liveBrokers().contains(leader));
    cluster.await("the quorum to list " + leader + " as a caught-up voter", REJOIN_MAX,
        () -> admin.describeMetadataQuorum().quorumInfo().get().voters().stream()
            .filter(v -> v.replicaId() == leader).anyMatch(v -> v.logEndOffset() > 0));
  }

  private static void failOver(int leader, long killNs) throws Exception {
    cluster.await("a quorum leader other than the killed node " + leader, FAILOVER_MAX,
        () -> {
          int now = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
          return now != leader && now >= 0;
        });
    long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
    admin.createTopics(List.of(new NewTopic("after-failover", 3, (short) 2))).all()
        .get(30, TimeUnit.SECONDS);
    long createdMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs);
    System.out.printf("ClusterFailoverIT: quorum leader %d killed -> new leader seen after %d"
        + " ms, CreateTopics done after %d ms%n", leader, electedMs, createdMs);
    // Every broker learns of it; one that followed the dead leader reconnects to the new one.
    cluster.await("every broker to list the new topic", FAILOVER_MAX,
        () -> admin.listTopics().names().get().contains("after-failover"));
  }

  @Test
  void aBrokerPausedPastItsSessionIsFencedAndRejoinsWhenResumed() throws Exception {
    int victim = nonLeaderBroker();
    String topic = "paused";
    admin.createTopics(List.of(new NewTopic(topic, 8, (short) 3))).all().get();
    cluster.await("node " + victim + " to lead a partition of " + topic, FAILOVER_MAX,
        () -> leaders(topic).contains(victim));
    cluster.node(victim).pause();
    // Polled through the other brokers: a client may wait on a silent node until its own
    // request timeout, which says nothing of the cluster.
    try (Admin others = adminWithout(victim)) {
      cluster.await("paused node " + victim + " to be fenced and lose its leaderships",
          FAILOVER_MAX, () -> others.describeCluster().nodes().get().stream()
              .noneMatch(n -> n.id() == victim)
              && others.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                  .partitions().stream().allMatch(p -> p.leader() != null
                      && p.leader().id() != victim));
    } finally {
      cluster.node(victim).resume();
    }
    cluster.await("resumed node " + victim + " to be unfenced again", REJOIN_MAX,
        () -> liveBrokers().contains(victim));
  }

  @Test
  void aSigtermedBrokerHandsItsLeadershipsOverBeforeItExits() throws Exception {
    int victim = nonLeaderBroker();
    String topic = "handover";
    admin.createTopics(List.of(new NewTopic(topic, 8, (short) 3))).all().get();
    cluster.await("node " + victim + " to lead a partition of " + topic, FAILOVER_MAX,
        () -> leaders(topic).contains(victim));
    Duration stopping;
    try {
      stopping = cluster.node(victim).terminate();
      // No session timeout to wait for: the controlled shutdown moved them before the exit.
      assertThat(leaders(topic)).doesNotContain(victim);
      assertThat(describe(topic).partitions()).allSatisfy(p -> assertThat(p.leader()).isNotNull());
    } finally {
      cluster.node(victim).start();
    }
    System.out.printf("ClusterFailoverIT: SIGTERM of node %d -> exited after %d ms with its"
        + " leaderships moved%n", victim, stopping.toMillis());
    assertThat(stopping).isLessThan(Duration.ofSeconds(10));
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("restarted node " + victim + " to be unfenced", REJOIN_MAX,
        () -> liveBrokers().contains(victim));
  }

  @Test
  void aSecondNodeWithALiveNodesIdIsRefusedAndTheFirstIsNotDisturbed() throws Exception {
    int id = 4;
    cluster.await("node " + id + " to be live", REJOIN_MAX, () -> liveBrokers().contains(id));
    Path data = dir.resolve("impostor");
    try (BrokerProcess impostor = new BrokerProcess(data, Map.of(
        "node.id", Integer.toString(id),
        "process.roles", "broker",
        "controller.quorum.voters", cluster.voters()))) {
      impostor.start();
      cluster.await("the second node with node.id=" + id + " to give up",
          Duration.ofSeconds(30), () -> !impostor.isAlive());
      assertThat(impostor.output()).contains("another live broker is registered with node.id="
          + id);
    }
    assertThat(liveBrokers()).contains(id);
    assertThat(cluster.node(id).isAlive()).isTrue();
  }

  @Test
  void aPausedQuorumLeaderIsReplacedAndRejoinsAsAFollowerWhenResumed() throws Exception {
    int leader = quorumLeader();
    // A client that knew the paused node keeps waiting on it until its own timeouts (the Java
    // Admin does not give up on a silent node sooner); one that asks the live brokers is told
    // of the new controller.
    long pauseNs = System.nanoTime();
    cluster.node(leader).pause();
    try {
      try (Admin others = adminWithout(leader)) {
        cluster.await("a quorum leader other than the paused node " + leader
            + ", which is fenced", FAILOVER_MAX, () -> {
              int now = others.describeMetadataQuorum().quorumInfo().get().leaderId();
              return now != leader && now >= 0 && others.describeCluster().nodes().get()
                  .stream().noneMatch(n -> n.id() == leader);
            });
      }
      // A new client is told of the new controller by every broker.
      try (Admin fresh = adminWithout(leader)) {
        fresh.createTopics(List.of(new NewTopic("after-pause", 2, (short) 2))).all()
            .get(30, TimeUnit.SECONDS);
      }
      System.out.printf("ClusterFailoverIT: quorum leader %d paused -> CreateTopics done after"
          + " %d ms%n", leader, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pauseNs));
    } finally {
      cluster.node(leader).resume();
    }
    // Resumed, it learns of the new term, follows, and its broker is unfenced again.
    cluster.await("resumed ex-leader " + leader + " to be an unfenced broker again", REJOIN_MAX,
        () -> liveBrokers().contains(leader));
    cluster.await("the quorum to list " + leader + " as a voter in step", REJOIN_MAX, () -> {
      var q = admin.describeMetadataQuorum().quorumInfo().get();
      return q.leaderId() != leader && q.voters().stream().filter(v -> v.replicaId() == leader)
          .anyMatch(v -> v.logEndOffset() >= q.highWatermark() - 5);
    });
  }

  /** An Admin that knows only the live brokers other than {@code excluded} to start with. */
  private static Admin adminWithout(int excluded) {
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrapWithout(excluded));
    p.put("request.timeout.ms", "3000");
    p.put("default.api.timeout.ms", "10000");
    return Admin.create(p);
  }

  /**
   * Every test starts from a whole cluster: each node running and started, every broker
   * unfenced, whatever the test before it did.
   */
  @BeforeEach
  void wholeCluster() throws Exception {
    for (NodeProcess n : cluster.nodes()) {
      if (n.isPaused()) {
        n.resume();
      }
      if (!n.isAlive()) {
        n.start();
      }
    }
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("every broker unfenced", REJOIN_MAX,
        () -> liveBrokers().containsAll(List.of(1, 2, 3, 4)));
  }

  /** A live broker that is not the quorum leader. */
  private static int nonLeaderBroker() throws Exception {
    int leader = quorumLeader();
    return cluster.nodes().stream().map(NodeProcess::id)
        .filter(id -> id != leader && cluster.node(id).isAlive()).findFirst().orElseThrow();
  }

  private static int quorumLeader() throws Exception {
    return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
  }

  private static Set<Integer> leaders(String topic) throws Exception {
    return describe(topic).partitions().stream().filter(p -> p.leader() != null)
        .map(p -> p.leader().id()).collect(Collectors.toSet());
  }
}
