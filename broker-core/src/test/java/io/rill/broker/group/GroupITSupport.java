package io.rill.broker.group;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Node settings, clients and deadline polling shared by the group integration tests. */
final class GroupITSupport {
  /** Short sessions so expiry tests finish quickly; the broker must allow them. */
  static final int SESSION_MS = 2_000;
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final Map<String, String> NODE_OVERRIDES = Map.of(
      "group.min.session.timeout.ms", "1000",
      "offsets.topic.num.partitions", "5",
      "offsets.topic.replication.factor", "1",
      "num.partitions", Integer.toString(GroupITSupport.PARTITIONS));
  /** Every test topic is auto-created with this many partitions. */
  static final int PARTITIONS = 4;

  private GroupITSupport() {}

  static TestNode startNode(Path dir) {
    return TestNode.start(dir, NODE_OVERRIDES);
  }

  /** Creates {@code topic} through auto-creation (a producer's metadata request). */
  static void createTopic(TestNode node, String topic) {
    try (KafkaProducer<String, String> p = producer(node)) {
      if (p.partitionsFor(topic).size() != PARTITIONS) {
        throw new AssertionError("topic " + topic + " has " + p.partitionsFor(topic));
      }
    }
  }

  static KafkaProducer<String, String> producer(TestNode node) {
    Properties p = node.clientProps();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    return new KafkaProducer<>(p);
  }

  static Properties consumerProps(TestNode node, String group) {
    Properties p = node.clientProps();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_MS));
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "10000");
    return p;
  }

  static KafkaConsumer<String, String> consumer(TestNode node, String group) {
    return new KafkaConsumer<>(consumerProps(node, group));
  }

  /** Polls every consumer in turn until {@code done} holds; fails at the deadline. */
  @SafeVarargs
  static void pollUntil(String what, BooleanSupplier done, KafkaConsumer<String, String>... cs) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      for (KafkaConsumer<String, String> c : cs) {
        c.poll(Duration.ofMillis(50));
      }
    }
  }

  /** Waits (without sleeping a fixed time) until {@code done} holds. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20); // a poll interval, not a wait for the condition
    }
  }
}
