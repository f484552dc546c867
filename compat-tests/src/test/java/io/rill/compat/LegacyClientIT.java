package io.rill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-clients 3.9.x against Rill: Admin topics, the idempotent producer (Produce v11), a
 * group consumer that commits and a second run of the group that resumes at the commit.
 */
class LegacyClientIT {
  private static final int RECORDS = 20_000;
  @TempDir static Path dir;
  private static TestNode node;
  private static String bootstrap;

  @BeforeAll
  static void start() {
    assertThat(AppInfoParser.getVersion()).startsWith("3.9");
    node = TestNode.start(dir, Map.of("offsets.topic.num.partitions", "4"));
    bootstrap = node.bootstrap();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void adminProducerAndGroupConsumerOf39Work() throws Exception {
    String topic = "legacy";
    Properties common = new Properties();
    common.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
    }
    Properties pp = new Properties();
    pp.putAll(common);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    pp.put("compression.type", "lz4");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        sends.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 30), "v" + i)));
      }
      for (Future<RecordMetadata> f : sends) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    assertThat(consumeAsGroup(topic, RECORDS)).hasSize(RECORDS);
    // The group committed everything it read: a second run of it finds nothing new.
    assertThat(consumeAsGroup(topic, 0)).isEmpty();
  }

  private static List<ConsumerRecord<String, String>> consumeAsGroup(String topic, int expected) {
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("group.id", "legacy-group");
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    cp.put("auto.offset.reset", "earliest");
    cp.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 8 : 60).toNanos();
      while (System.nanoTime() < deadline && (expected == 0 || all.size() < expected)) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      for (TopicPartition tp : consumer.assignment()) {
        commit.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      consumer.commitSync(commit);
    }
    return all;
  }
}
