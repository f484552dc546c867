package io.rill.broker.group;

import static io.rill.broker.group.GroupITSupport.SESSION_MS;
import static io.rill.broker.group.GroupITSupport.consumerProps;
import static io.rill.broker.group.GroupITSupport.createTopic;
import static io.rill.broker.group.GroupITSupport.pollUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session expiry and static membership against a real node. */
class MembershipIT {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = GroupITSupport.startNode(dir);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() throws Exception {
    String topic = "silence";
    createTopic(node, topic);
    try (KafkaConsumer<String, String> a = GroupITSupport.consumer(node, "silent");
        RawGroupMember silent = new RawGroupMember(node.port())) {
      a.subscribe(List.of(topic));
      pollUntil("a to own all", () -> a.assignment().size() == 4, a);
      CompletableFuture<SyncGroupResponse> synced = CompletableFuture.supplyAsync(() -> {
        JoinGroupResponse joined = silent.join("silent", topic, SESSION_MS, 20_000);
        assertThat(joined.error()).isEqualTo(Errors.NONE);
        return silent.sync("silent", joined);
      });
      pollUntil("the raw member to get its share",
          () -> synced.isDone() && a.assignment().size() == 2, a);
      assertThat(synced.get().error()).isEqualTo(Errors.NONE);
      long silentSinceNanos = System.nanoTime();
      pollUntil("a to take everything back", () -> a.assignment().size() == 4, a);
      long tookMs = (System.nanoTime() - silentSinceNanos) / 1_000_000;
      System.out.println("silent member removed after " + tookMs + " ms");
      assertThat(tookMs).isGreaterThanOrEqualTo(SESSION_MS - 300);
    }
  }

  @Test
  void staticMembersRejoinWithoutARebalance() throws Exception {
    String topic = "statics";
    createTopic(node, topic);
    AtomicInteger aAssignments = new AtomicInteger();
    Properties pa = staticProps("static-a");
    Properties pb = staticProps("static-b");
    try (KafkaConsumer<String, String> a = new KafkaConsumer<>(pa)) {
      a.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) { }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          aAssignments.incrementAndGet();
        }
      });
      Set<TopicPartition> bOwned;
      KafkaConsumer<String, String> b = new KafkaConsumer<>(pb);
      b.subscribe(List.of(topic));
      pollUntil("a 2 + 2 split", () -> a.assignment().size() == 2 && b.assignment().size() == 2,
          a, b);
      bOwned = Set.copyOf(b.assignment());
      int generation = a.groupMetadata().generationId();
      int assignmentsBefore = aAssignments.get();
      b.close(); // a static member sends no LeaveGroup

      try (KafkaConsumer<String, String> b2 = new KafkaConsumer<>(pb)) {
        b2.subscribe(List.of(topic));
        pollUntil("b's successor to get b's partitions", () -> b2.assignment().size() == 2,
            a, b2);
        assertThat(b2.assignment()).isEqualTo(bOwned);
        assertThat(b2.groupMetadata().generationId()).isEqualTo(generation);
        for (int i = 0; i < 10; i++) {
          a.poll(java.time.Duration.ofMillis(50));
        }
        assertThat(a.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(aAssignments.get()).isEqualTo(assignmentsBefore);
      }
    }
  }

  private static Properties staticProps(String instance) {
    Properties p = consumerProps(node, "statics");
    p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "15000");
    return p;
  }
}
