package io.rill.broker.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Official Kafka clients configured for a test node. */
final class Clients {
  private Clients() {}

  static KafkaProducer<String, String> producer(TestNode node, Properties extra) {
    return producer(node.clientProps(), extra);
  }

  /** A string producer for the cluster named by {@code clientProps} (bootstrap.servers). */
  static KafkaProducer<String, String> producer(Properties clientProps, Properties extra) {
    Properties p = new Properties();
    p.putAll(clientProps);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("delivery.timeout.ms", "60000");
    p.putAll(extra);
    return new KafkaProducer<>(p);
  }

  static KafkaProducer<byte[], byte[]> bytesProducer(TestNode node, Properties extra) {
    Properties p = node.clientProps();
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.putAll(extra);
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, String> consumer(TestNode node, Properties extra) {
    return consumer(node.clientProps(), extra);
  }

  /** A string consumer for the cluster named by {@code clientProps} (bootstrap.servers). */
  static KafkaConsumer<String, String> consumer(Properties clientProps, Properties extra) {
    Properties p = new Properties();
    p.putAll(clientProps);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.putAll(extra);
    return new KafkaConsumer<>(p);
  }

  static KafkaConsumer<byte[], byte[]> bytesConsumer(TestNode node) {
    Properties p = node.clientProps();
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("max.partition.fetch.bytes", "1048576");
    return new KafkaConsumer<>(p);
  }

  /** Polls until {@code done} holds for everything read so far, or the deadline passes. */
  static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer,
      Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
    List<ConsumerRecord<K, V>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(all) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(all::add);
    }
    return all;
  }

  static List<TopicPartition> partitions(String topic, int count) {
    List<TopicPartition> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new TopicPartition(topic, i));
    }
    return out;
  }

  static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    return p;
  }
}
