package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication between real node processes: with replication factor 3 and min.insync.replicas=2,
 * every record acknowledged with acks=all survives kill -9 of each node in turn (read back at
 * the offset it was acknowledged at, once); a paused follower leaves the ISR and rejoins after
 * it resumes; with two of three replicas down acks=all is refused while acks=1 and reads go on.
 * Three combined nodes (the quorum) and two broker-only nodes, shared by the tests.
 */
class ReplicationIT {
  private static final Duration REJOIN_MAX = Duration.ofSeconds(60);
  private static final Duration MOVE_MAX = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static Admin admin;

  @BeforeAll
  static void start() {
    cluster = ProcessCluster.builder(dir).nodes(3)
        .node(4, NodeRole.BROKER).node(5, NodeRole.BROKER)
        .override("replica.lag.time.max.ms", "3000")
        .override("min.insync.replicas", "2")
        .override("default.replication.factor", "3")
        .override("offsets.topic.replication.factor", "3")
        .build();
    cluster.start().awaitStarted(Duration.ofSeconds(90));
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap());
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

  private static boolean fullIsr(String topic) throws Exception {
    return describe(topic).partitions().stream()
        .allMatch(p -> p.isr().size() == p.replicas().size() && p.leader() != null);
  }

  private static KafkaProducer<String, String> producer(String acks) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", cluster.bootstrap());
    p.put("acks", acks);
    p.put("enable.idempotence", acks.equals("all"));
    p.put("linger.ms", 5);
    p.put("delivery.timeout.ms", 120_000);
    p.put("request.timeout.ms", 10_000);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** What a send was acknowledged with. */
  private record Acked(int partition, long offset) {}

  @Test
  void everyAcknowledgedRecordSurvivesKillingEachNodeInTurn() throws Exception {
    String topic = "durable";
    admin.createTopics(List.of(new NewTopic(topic, 6, (short) 3))).all().get();
    cluster.await("full ISRs of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    Writer writer = new Writer(topic);
    Map<String, Acked> acked = writer.acked;
    List<Long> stallsMs = new ArrayList<>();
    try {
      for (int victim = 1; victim <= 4; victim++) {
        int before = acked.size();
        cluster.await("writes to go on before killing node " + victim, MOVE_MAX,
            () -> acked.size() > before + 200);
        writer.longestStallNs.set(0);
        cluster.node(victim).kill();
        int atKill = acked.size();
        cluster.await("writes to go on after killing node " + victim, MOVE_MAX,
            () -> acked.size() > atKill + 200);
        Thread.sleep(2_000); // keep it down for a while, writing
        stallsMs.add(TimeUnit.NANOSECONDS.toMillis(writer.longestStallNs.get()));
        cluster.node(victim).start();
        cluster.awaitStarted(REJOIN_MAX);
        int v = victim;
        cluster.await("node " + victim + " back in the ISR of each partition of " + topic
            + " it holds", REJOIN_MAX, () -> describe(topic).partitions().stream()
                .filter(p -> p.replicas().stream().anyMatch(n -> n.id() == v))
                .allMatch(p -> p.isr().stream().anyMatch(n -> n.id() == v)));
      }
    } finally {
      writer.stop();
    }
    System.out.printf("ReplicationIT: %d records acknowledged; longest stall after each kill,"
        + " ms: %s%n", acked.size(), stallsMs);
    assertThat(writer.failures).as("sends that failed").isEmpty();

    // Read everything back and compare offsets and values.
    Map<String, Acked> read = readAll(topic);
    for (Map.Entry<String, Acked> e : acked.entrySet()) {
      assertThat(read.get(e.getKey())).as("acknowledged record %s", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  /** Every record of {@code topic}, by value, with where it was read; fails on a duplicate. */
  private static Map<String, Acked> readAll(String topic) throws Exception {
    Map<String, Object> cp = new HashMap<>();
    cp.put("bootstrap.servers", cluster.bootstrap());
    cp.put("auto.offset.reset", "earliest");
    cp.put("enable.auto.commit", false);
    TopicDescription d = describe(topic);
    List<TopicPartition> tps = d.partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<String, Acked> out = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        assertThat(System.nanoTime()).as("read everything within 60 s").isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          Acked previous = out.put(r.value(), new Acked(r.partition(), r.offset()));
          assertThat(previous).as("duplicate of %s", r.value()).isNull();
        }
      }
    }
    return out;
  }

  @Test
  void aPausedFollowerLeavesTheIsrAndRejoinsAfterItResumes() throws Exception {
    String topic = "lagging";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get();
    cluster.await("full ISR of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    int leader = describe(topic).partitions().get(0).leader().id();
    int follower = describe(topic).partitions().get(0).replicas().stream().map(Node::id)
        .filter(id -> id != leader).findFirst().orElseThrow();
    try (KafkaProducer<String, String> producer = producer("all")) {
      cluster.node(follower).pause();
      try {
        // acks=all still works with 2 of 3 in sync; the paused follower drops out of the ISR
        // (and is fenced when its session ends).
        for (int i = 0; i < 20; i++) {
          producer.send(new ProducerRecord<>(topic, "k", "p" + i)).get(30, TimeUnit.SECONDS);
        }
        // Asked of the other brokers: an Admin that picked the paused node waits out its
        // request timeout there, whatever the cluster did meanwhile.
        Properties others = new Properties();
        others.put("bootstrap.servers", cluster.bootstrapWithout(follower));
        others.put("request.timeout.ms", "3000");
        try (Admin live = Admin.create(others)) {
          cluster.await("paused node " + follower + " to leave the ISR", MOVE_MAX,
              () -> live.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                  .partitions().get(0).isr().stream().noneMatch(n -> n.id() == follower));
        }
      } finally {
        cluster.node(follower).resume();
      }
      cluster.await("resumed node " + follower + " to rejoin the ISR", REJOIN_MAX,
          () -> describe(topic).partitions().get(0).isr().stream()
              .anyMatch(n -> n.id() == follower));
    }
  }

  @Test
  void withTwoOfThreeReplicasDownAcksAllIsRefusedWhileAcksOneAndReadsGoOn() throws Exception {
    String topic = "minority";
    // Replicas on the two broker-only nodes and node 1, so two replicas can die while the
    // metadata quorum (nodes 1-3) keeps its majority.
    admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 4, 5))))).all().get();
    cluster.await("full ISR of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    try (KafkaProducer<String, String> producer = producer("all")) {
      producer.send(new ProducerRecord<>(topic, "k", "before")).get(30, TimeUnit.SECONDS);
    }
    cluster.node(4).kill();
    cluster.node(5).kill();
    try {
      cluster.await("the ISR of " + topic + " to shrink to node 1", MOVE_MAX,
          () -> describe(topic).partitions().get(0).isr().stream().map(Node::id).toList()
              .equals(List.of(1)));
      Map<String, Object> strict = new HashMap<>();
      strict.put("bootstrap.servers", cluster.node(1).clientAddress());
      strict.put("acks", "all");
      strict.put("enable.idempotence", false);
      strict.put("retries", 0);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(strict, new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "refused"))
            .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(NotEnoughReplicasException.class);
      }
      try (KafkaProducer<String, String> producer = producer("1")) {
        producer.send(new ProducerRecord<>(topic, "k", "acks1")).get(30, TimeUnit.SECONDS);
      }
      assertThat(readAll(topic)).containsKeys("before", "acks1").doesNotContainKey("refused");
    } finally {
      cluster.node(4).start();
      cluster.node(5).start();
    }
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("full ISR of " + topic + " again", REJOIN_MAX, () -> fullIsr(topic));
  }

  @Test
  void aDeadLeadersUnreplicatedTailIsTruncatedWhenItReturnsAndNeverRead() throws Exception {
    String topic = "divergent";
    // Leader 4 (broker-only); followers 5 and 1. Pausing the followers keeps the quorum (1-3)
    // alive as long as only node 1 of the voters is paused.
    admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(4, 5, 1))))).all().get();
    cluster.await("full ISR of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    try (KafkaProducer<String, String> producer = producer("all")) {
      producer.send(new ProducerRecord<>(topic, "k", "committed")).get(30, TimeUnit.SECONDS);
    }
    // The acks=1 producer talks to the leader only and knows its metadata before the followers
    // freeze: a metadata request to a frozen node would hold it past the followers' sessions.
    Map<String, Object> leaderOnly = new HashMap<>();
    leaderOnly.put("bootstrap.servers", cluster.node(4).clientAddress());
    leaderOnly.put("acks", "1");
    leaderOnly.put("enable.idempotence", false);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(leaderOnly, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "warm-up")).get(30, TimeUnit.SECONDS);
      cluster.node(5).pause();
      cluster.node(1).pause();
      try {
        // Accepted by the leader alone, never copied: the followers are frozen.
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>(topic, "k", "unreplicated-" + i))
              .get(2, TimeUnit.SECONDS);
        }
        cluster.node(4).kill();
      } finally {
        cluster.node(5).resume();
        cluster.node(1).resume();
      }
    }
    cluster.await("a follower to lead " + topic + " after its leader died", MOVE_MAX,
        () -> {
          Node l = describe(topic).partitions().get(0).leader();
          return l != null && l.id() != 4;
        });
    try (KafkaProducer<String, String> producer = producer("all")) {
      producer.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS);
    }
    cluster.node(4).start();
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("node 4 back in the ISR of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    // Make the returned node lead again, so the read comes from its log: stop the other two
    // replicas cleanly (the quorum keeps nodes 2 and 3).
    cluster.node(5).terminate();
    cluster.node(1).terminate();
    try {
      cluster.await("node 4 to lead " + topic + " again", MOVE_MAX,
          () -> describe(topic).partitions().get(0).leader() != null
              && describe(topic).partitions().get(0).leader().id() == 4);
      // A fetch answer already on its way to a follower when it froze may carry the first
      // unreplicated record (it sits in the socket buffer); the rest never left the leader.
      // Whatever the new leader did not have is gone from every log: the returned leader's
      // log (read here) has the survivors, then "after", and none of the truncated tail.
      Map<String, Acked> read = readAll(topic);
      assertThat(read).containsKeys("committed", "warm-up", "after");
      long survivors = read.keySet().stream().filter(v -> v.startsWith("unreplicated-")).count();
      System.out.printf("ReplicationIT: %d of 5 acks=1 records reached a follower before the"
          + " leader died; %d truncated%n", survivors, 5 - survivors);
      assertThat(survivors).as("unreplicated records that survived").isLessThan(5);
      for (int i = 0; i < survivors; i++) {
        assertThat(read).containsKey("unreplicated-" + i);
      }
      assertThat(read.get("after").offset())
          .isEqualTo(read.get("warm-up").offset() + 1 + survivors);
    } finally {
      cluster.node(5).start();
      cluster.node(1).start();
    }
    cluster.awaitStarted(REJOIN_MAX);
    cluster.await("full ISR of " + topic + " again", REJOIN_MAX, () -> fullIsr(topic));
  }

  @Test
  void aRollingRestartLosesAndDuplicatesNothingAndFailsNoSend() throws Exception {
    String topic = "rolling";
    admin.createTopics(List.of(new NewTopic(topic, 6, (short) 3))).all().get();
    cluster.await("full ISRs of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    Writer writer = new Writer(topic);
    Map<String, Acked> acked = writer.acked;
    List<Long> stallsMs = new ArrayList<>();
    List<Long> exitsMs = new ArrayList<>();
    try {
      for (int node = 1; node <= 5; node++) {
        int before = acked.size();
        cluster.await("writes to go on before stopping node " + node, MOVE_MAX,
            () -> acked.size() > before + 200);
        writer.longestStallNs.set(0);
        exitsMs.add(cluster.node(node).terminate().toMillis());
        cluster.node(node).start();
        cluster.awaitStarted(REJOIN_MAX);
        int n = node;
        cluster.await("node " + node + " back in the ISRs of " + topic, REJOIN_MAX,
            () -> describe(topic).partitions().stream()
                .filter(p -> p.replicas().stream().anyMatch(r -> r.id() == n))
                .allMatch(p -> p.isr().stream().anyMatch(r -> r.id() == n)));
        stallsMs.add(TimeUnit.NANOSECONDS.toMillis(writer.longestStallNs.get()));
      }
    } finally {
      writer.stop();
    }
    System.out.printf("ReplicationIT: rolling restart, %d records acknowledged; longest stall"
        + " per restart, ms: %s; SIGTERM to exit, ms: %s%n", acked.size(), stallsMs, exitsMs);
    assertThat(writer.failures).as("sends that failed").isEmpty();
    Map<String, Acked> read = readAll(topic);
    for (Map.Entry<String, Acked> e : acked.entrySet()) {
      assertThat(read.get(e.getKey())).as("acknowledged record %s", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void aGroupResumesAtItsCommittedOffsetsAfterItsCoordinatorsBrokerIsKilled() throws Exception {
    String topic = "grouped";
    String group = "resumers";
    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get();
    cluster.await("full ISRs of " + topic, REJOIN_MAX, () -> fullIsr(topic));
    try (KafkaProducer<String, String> producer = producer("all")) {
      for (int i = 0; i < 300; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "g" + i));
      }
      producer.flush();
    }
    Map<TopicPartition, Long> committed = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = groupConsumer(group)) {
      consumer.subscribe(List.of(topic));
      int seen = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen < 150) {
        assertThat(System.nanoTime()).as("150 records consumed within 60 s").isLessThan(deadline);
        seen += consumer.poll(Duration.ofMillis(200)).count();
      }
      consumer.commitSync();
      Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
      // Only partitions with records left after the commit can show where the group resumes.
      consumer.assignment().stream().filter(tp -> consumer.position(tp) < ends.get(tp))
          .forEach(tp -> committed.put(tp, consumer.position(tp)));
    }
    assertThat(committed).as("partitions with records after the commit").isNotEmpty();
    int coordinator = admin.describeConsumerGroups(List.of(group)).all().get().get(group)
        .coordinator().id();
    long killNs = System.nanoTime();
    cluster.node(coordinator).kill();
    try {
      try (KafkaConsumer<String, String> consumer = groupConsumer(group)) {
        consumer.subscribe(List.of(topic));
        Map<TopicPartition, Long> firstSeen = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!firstSeen.keySet().containsAll(committed.keySet())) {
          assertThat(System.nanoTime()).as("a record from every partition within 60 s;"
              + " first seen %s, committed %s", firstSeen, committed).isLessThan(deadline);
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            firstSeen.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
          }
        }
        System.out.printf("ReplicationIT: coordinator %d killed; the group resumed %d ms later"
            + " at %s (committed %s)%n", coordinator,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNs), firstSeen, committed);
        for (Map.Entry<TopicPartition, Long> e : committed.entrySet()) {
          assertThat(firstSeen.get(e.getKey())).as("resumed at the committed offset of %s",
              e.getKey()).isEqualTo(e.getValue());
        }
      }
    } finally {
      cluster.node(coordinator).start();
    }
    cluster.awaitStarted(REJOIN_MAX);
  }

  private static KafkaConsumer<String, String> groupConsumer(String group) {
    Map<String, Object> cp = new HashMap<>();
    cp.put("bootstrap.servers", cluster.bootstrap());
    cp.put("group.id", group);
    cp.put("auto.offset.reset", "earliest");
    cp.put("enable.auto.commit", false);
    cp.put("max.poll.records", 20);
    return new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Sends unique values with an idempotent acks=all producer on its own thread until stopped,
   * recording where each was acknowledged, every failed send, and the longest gap between two
   * acknowledgements since the last reset.
   */
  private static final class Writer {
    final Map<String, Acked> acked = new ConcurrentHashMap<>();
    final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong longestStallNs = new AtomicLong();
    private final AtomicLong lastAckNs = new AtomicLong(System.nanoTime());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Writer(String topic) {
      thread = new Thread(() -> {
        try (KafkaProducer<String, String> producer = producer("all")) {
          long i = 0;
          while (running.get()) {
            String value = topic + "-" + i++;
            producer.send(new ProducerRecord<>(topic, value, value), (md, e) -> {
              if (e != null) {
                failures.add(e);
                return;
              }
              long now = System.nanoTime();
              longestStallNs.accumulateAndGet(now - lastAckNs.getAndSet(now), Math::max);
              acked.put(value, new Acked(md.partition(), md.offset()));
            });
            if (i % 50 == 0) {
              producer.flush();
            }
          }
          producer.flush();
        }
      }, "replication-it-writer-" + topic);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(60_000);
    }
  }
}
