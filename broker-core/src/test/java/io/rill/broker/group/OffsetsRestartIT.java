package io.rill.broker.group;

import static io.rill.broker.group.GroupITSupport.consumer;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed offsets are in __consumer_offsets: a restarted node loads them back. */
class OffsetsRestartIT {
  @Test
  void committedOffsetsSurviveARestartAndTheGroupResumesThere(@TempDir Path dir)
      throws Exception {
    String topic = "durable";
    Map<String, String> overrides = new HashMap<>(GroupITSupport.NODE_OVERRIDES);
    overrides.put("broker.session.timeout.ms", "2000");
    try (TestNode node = TestNode.start(dir, overrides)) {
      createTopic(node, topic);
      try (KafkaProducer<String, String> p = producer(node)) {
        for (int i = 0; i < 400; i++) {
          p.send(new ProducerRecord<>(topic, i % 4, "k" + i, "v" + i));
        }
        p.flush();
      }
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      try (KafkaConsumer<String, String> c = consumer(node, "durable-group")) {
        c.subscribe(List.of(topic));
        pollUntil("assignment", () -> c.assignment().size() == 4, c);
        for (int i = 0; i < 4; i++) {
          committed.put(new TopicPartition(topic, i), new OffsetAndMetadata(10L * (i + 1),
              "m" + i));
        }
        c.commitSync(committed);
      }

      restart(node);

      try (Admin admin = Admin.create(node.clientProps())) {
        Map<TopicPartition, OffsetAndMetadata> loaded = admin
            .listConsumerGroupOffsets("durable-group").partitionsToOffsetAndMetadata()
            .get(60, TimeUnit.SECONDS);
        assertThat(loaded).hasSize(4);
        committed.forEach((tp, o) -> {
          assertThat(loaded.get(tp).offset()).isEqualTo(o.offset());
          assertThat(loaded.get(tp).metadata()).isEqualTo(o.metadata());
        });
      }
      Map<Integer, Long> firstSeen = new HashMap<>();
      try (KafkaConsumer<String, String> c = consumer(node, "durable-group")) {
        c.subscribe(List.of(topic));
        pollUntil("a record from every partition after the restart", () -> {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
            firstSeen.putIfAbsent(r.partition(), r.offset());
          }
          return firstSeen.size() == 4;
        });
      }
      committed.forEach((tp, o) ->
          assertThat(firstSeen.get(tp.partition())).isEqualTo(o.offset()));
    }
  }

  /**
   * Stops the node and starts it again on the same data. Until the controller fences the
   * previous incarnation (broker.session.timeout.ms) it refuses the new registration
   * (DUPLICATE_BROKER_REGISTRATION); the start is retried until then, within a deadline.
   */
  private static void restart(TestNode node) {
    node.close();
    long deadline = System.nanoTime() + GroupITSupport.DEADLINE.toNanos();
    while (true) {
      try {
        node.startNode();
        return;
      } catch (IllegalStateException e) {
        node.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }
}
