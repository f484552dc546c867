package io.rill.broker.group;

import static io.rill.broker.group.GroupITSupport.consumer;
import static io.rill.broker.group.GroupITSupport.consumerProps;
import static io.rill.broker.group.GroupITSupport.createTopic;
import static io.rill.broker.group.GroupITSupport.pollUntil;
import static io.rill.broker.group.GroupITSupport.producer;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups with the official Java client against one real node. */
class ConsumerGroupIT {
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

  private static Map<TopicPartition, Long> produceKeyed(String topic, int count, long seed)
      throws Exception {
    Random random = new Random(seed);
    Map<TopicPartition, Long> ends = new HashMap<>();
    try (KafkaProducer<String, String> p = producer(node)) {
      Map<String, Integer> seqByKey = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String key = "k" + random.nextInt(200);
        int seq = seqByKey.merge(key, 1, Integer::sum);
        p.send(new ProducerRecord<>(topic, key, key + ":" + seq));
      }
      p.flush();
    }
    return ends;
  }

  @Test
  void aGroupReadsEveryKeyedRecordInOrderCommitsAndDoesNotReadThemAgain() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("seed " + seed);
    String topic = "orders";
    int total = 20_000;
    createTopic(node, topic);
    produceKeyed(topic, total, seed);

    Map<TopicPartition, Long> lastOffset = new HashMap<>();
    Map<String, Integer> lastSeqByKey = new HashMap<>();
    int[] read = {0};
    try (KafkaConsumer<String, String> c = consumer(node, "readers")) {
      c.subscribe(List.of(topic));
      pollUntil("all records", () -> {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long prev = lastOffset.put(tp, r.offset());
          assertThat(r.offset()).isGreaterThan(prev == null ? -1 : prev);
          int seq = Integer.parseInt(r.value().substring(r.value().indexOf(':') + 1));
          Integer prevSeq = lastSeqByKey.put(r.key(), seq);
          assertThat(seq).as("order of key %s", r.key()).isEqualTo(prevSeq == null ? 1 : prevSeq + 1);
          read[0]++;
        }
        return read[0] >= total;
      });
      assertThat(read[0]).isEqualTo(total);
      c.commitSync();
    }

    try (KafkaConsumer<String, String> again = consumer(node, "readers")) {
      again.subscribe(List.of(topic));
      pollUntil("assignment", () -> again.assignment().size() == 4, again);
      int reread = 0;
      for (TopicPartition tp : again.assignment()) {
        assertThat(again.position(tp)).isEqualTo(lastOffset.get(tp) + 1);
      }
      reread += again.poll(Duration.ofMillis(300)).count();
      assertThat(reread).isZero();
    }

    try (KafkaConsumer<String, String> fresh = consumer(node, "newcomers")) {
      fresh.subscribe(List.of(topic));
      int[] count = {0};
      pollUntil("a new group to read everything", () -> {
        count[0] += fresh.poll(Duration.ofMillis(100)).count();
        return count[0] >= total;
      });
      assertThat(count[0]).isEqualTo(total);
    }
  }

  @Test
  void twoConsumersSplitFourPartitionsAndWhenOneLeavesTheOtherTakesAll() throws Exception {
    String topic = "split";
    createTopic(node, topic);
    try (KafkaConsumer<String, String> a = consumer(node, "splitters");
        KafkaConsumer<String, String> b = consumer(node, "splitters")) {
      a.subscribe(List.of(topic));
      b.subscribe(List.of(topic));
      pollUntil("a 2 + 2 split",
          () -> a.assignment().size() == 2 && b.assignment().size() == 2, a, b);
      assertThat(union(a.assignment(), b.assignment())).hasSize(4);
      b.close(); // sends LeaveGroup
      long start = System.nanoTime();
      pollUntil("the survivor to own all four", () -> a.assignment().size() == 4, a);
      System.out.println("took over in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  private static Set<TopicPartition> union(Set<TopicPartition> x, Set<TopicPartition> y) {
    return java.util.stream.Stream.concat(x.stream(), y.stream()).collect(Collectors.toSet());
  }

  @Test
  void adminListsDescribesAltersAndDeletesGroups() throws Exception {
    String topic = "admin-groups";
    createTopic(node, topic);
    produceKeyed(topic, 100, 1L);
    try (Admin admin = Admin.create(node.clientProps());
        KafkaConsumer<String, String> c = consumer(node, "described")) {
      c.subscribe(List.of(topic));
      pollUntil("assignment", () -> c.assignment().size() == 4, c);
      c.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(7, "seven")));

      pollUntil("the group to be listed as stable", () -> listed(admin, ConsumerGroupState.STABLE)
          .contains("described"), c);
      assertThat(listed(admin, ConsumerGroupState.EMPTY)).doesNotContain("described");
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("described"))
          .describedGroups().get("described").get(30, TimeUnit.SECONDS);
      assertThat(d.state()).isEqualTo(ConsumerGroupState.STABLE);
      assertThat(d.members()).singleElement().satisfies(m -> assertThat(
          m.assignment().topicPartitions()).hasSize(4).contains(new TopicPartition(topic, 0)));
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("described")
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      assertThat(offsets.get(new TopicPartition(topic, 0)).offset()).isEqualTo(7);
      assertThat(offsets.get(new TopicPartition(topic, 0)).metadata()).isEqualTo("seven");
      assertThat(admin.deleteConsumerGroups(List.of("described")).all())
          .failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
          .withMessageContaining("GroupNotEmptyException");
    }
    try (Admin admin = Admin.create(node.clientProps())) {
      TopicPartition tp1 = new TopicPartition(topic, 1);
      admin.alterConsumerGroupOffsets("described", Map.of(tp1, new OffsetAndMetadata(42)))
          .all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("described")
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      assertThat(offsets.get(tp1).offset()).isEqualTo(42);
      assertThat(offsets.get(new TopicPartition(topic, 0)).offset()).isEqualTo(7);
      assertThat(listed(admin, ConsumerGroupState.EMPTY)).contains("described");
      admin.deleteConsumerGroups(List.of("described")).all().get(30, TimeUnit.SECONDS);
      assertThat(listed(admin, null)).doesNotContain("described");
      assertThat(admin.listConsumerGroupOffsets("described").partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @SuppressWarnings("deprecation")
  private static List<String> listed(Admin admin, ConsumerGroupState state) {
    ListConsumerGroupsOptions options = new ListConsumerGroupsOptions();
    if (state != null) {
      options.inStates(Set.of(state));
    }
    try {
      return admin.listConsumerGroups(options).all().get(30, TimeUnit.SECONDS).stream()
          .map(ConsumerGroupListing::groupId).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void autoCommitNeverCommitsPastWhatPollReturned() throws Exception {
    String topic = "auto";
    createTopic(node, topic);
    produceKeyed(topic, 2_000, 2L);
    Properties p = consumerProps(node, "auto-committers");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
    p.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "50");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "37");
    Map<TopicPartition, Long> returnedEnd = new HashMap<>();
    int checks = 0;
    try (Admin admin = Admin.create(node.clientProps());
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      int total = 0;
      long deadline = System.nanoTime() + GroupITSupport.DEADLINE.toNanos();
      while (total < 2_000 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
          returnedEnd.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1,
              Math::max);
          total++;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin
            .listConsumerGroupOffsets("auto-committers").partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
          assertThat(e.getValue().offset()).as("committed %s", e.getKey())
              .isLessThanOrEqualTo(returnedEnd.getOrDefault(e.getKey(), 0L));
          checks++;
        }
      }
      assertThat(total).isEqualTo(2_000);
    }
    assertThat(checks).isPositive();
    try (Admin admin = Admin.create(node.clientProps())) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin
          .listConsumerGroupOffsets("auto-committers").partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS);
      // close() commits what the last poll returned, and no further.
      returnedEnd.forEach((tp, end) -> assertThat(committed.get(tp).offset()).isEqualTo(end));
    }
  }
}
