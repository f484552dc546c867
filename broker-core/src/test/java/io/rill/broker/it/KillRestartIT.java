package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the broker process while an idempotent, acks=all producer is writing, then a
 * restart on the same data while the producer goes on: every acknowledged record is readable
 * exactly once; SIGTERM stops
 * the node within 5 s.
 */
class KillRestartIT {
  private static final String TOPIC = "crash";

  @Test
  void everyAcknowledgedRecordSurvivesSigkillExactlyOnce(@TempDir Path dir) throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"))) {
      broker.start();
      AtomicBoolean killed = new AtomicBoolean();
      try (KafkaProducer<String, String> producer = producer(broker)) {
        for (int i = 0; i < 200_000 && acked.size() < 20_000; i++) {
          String value = "v" + i;
          producer.send(new ProducerRecord<>(TOPIC, "k" + (i % 50), value), (m, e) -> {
            if (e == null) {
              acked.add(value);
            }
          });
          if (acked.size() >= 5_000 && killed.compareAndSet(false, true)) {
            // Records still in flight are retried into the restarted broker: its producer
            // state, rebuilt from the log, must recognise the ones it already has.
            broker.kill();
            broker.start();
          }
        }
        producer.flush();
      }
      assertThat(killed).isTrue();
      List<ConsumerRecord<String, String>> read = readAll(broker, acked.size());
      List<String> values = read.stream().map(ConsumerRecord::value).toList();
      assertThat(values).doesNotHaveDuplicates();
      assertThat(values).containsAll(acked);
      assertThat(broker.terminate()).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void committedOffsetsSurviveSigkillAndTheGroupResumesThere(@TempDir Path dir) throws Exception {
    String topic = "resume";
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"))) {
      broker.start();
      try (KafkaProducer<String, String> producer = producer(broker)) {
        for (int i = 0; i < 1000; i++) {
          producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
        }
        producer.flush();
      }
      var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
      try (KafkaConsumer<String, String> consumer = groupConsumer(broker)) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200));
        }
        consumer.commitSync(Map.of(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(600)));
      }
      broker.kill();
      broker.start();
      try (KafkaConsumer<String, String> consumer = groupConsumer(broker)) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> read = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (read.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
        assertThat(read).isNotEmpty();
        assertThat(read.get(0).offset()).as("the group resumes at its commit").isEqualTo(600L);
      }
    }
  }

  private static KafkaConsumer<String, String> groupConsumer(BrokerProcess broker) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("group.id", "resumers");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p);
  }

  private static KafkaProducer<String, String> producer(BrokerProcess broker) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("delivery.timeout.ms", "20000");
    p.put("request.timeout.ms", "5000");
    p.put("max.block.ms", "30000");
    return new KafkaProducer<>(p);
  }

  private static List<ConsumerRecord<String, String>> readAll(BrokerProcess broker, int atLeast) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      var partitions = List.of(new org.apache.kafka.common.TopicPartition(TOPIC, 0),
          new org.apache.kafka.common.TopicPartition(TOPIC, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<ConsumerRecord<String, String>> all = new java.util.ArrayList<>();
      Map<org.apache.kafka.common.TopicPartition, Long> ends = null;
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(all::add);
        if (all.size() >= atLeast) {
          ends = consumer.endOffsets(partitions);
          boolean caughtUp = true;
          for (var tp : partitions) {
            caughtUp &= consumer.position(tp) >= ends.get(tp);
          }
          if (caughtUp) {
            break;
          }
        }
      }
      return all;
    }
  }
}
