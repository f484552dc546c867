package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official producer with its defaults (idempotent, acks=all) writes keyed records with each
 * codec to an auto-created topic; an assigned consumer reads every one back exactly once, in
 * order per partition, with the offsets the producer was told.
 */
class ProduceConsumeIT {
  private static final int RECORDS = 20_000;
  private static final int PARTITIONS = 3;
  @TempDir static Path dir;
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir, Map.of("num.partitions", String.valueOf(PARTITIONS)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void keyedRecordsComeBackInOrderPerPartitionExactlyOnce(String codec) throws Exception {
    String topic = "orders-" + codec;
    Map<Integer, List<Long>> acked = new HashMap<>();
    try (KafkaProducer<String, String> producer = Clients.producer(node,
        Clients.props("compression.type", codec, "linger.ms", "5"))) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        sends.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 100), "value-" + i)));
      }
      for (Future<RecordMetadata> f : sends) {
        RecordMetadata m = f.get(60, TimeUnit.SECONDS);
        acked.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
      }
    }
    try (KafkaConsumer<String, String> consumer = Clients.consumer(node, Clients.props())) {
      consumer.assign(Clients.partitions(topic, PARTITIONS));
      consumer.seekToBeginning(Clients.partitions(topic, PARTITIONS));
      List<ConsumerRecord<String, String>> read = Clients.pollUntil(consumer,
          all -> all.size() >= RECORDS, Duration.ofSeconds(60));
      assertThat(read).hasSize(RECORDS);
      Map<Integer, List<Long>> offsets = new HashMap<>();
      Map<String, Integer> lastValueByKey = new HashMap<>();
      for (ConsumerRecord<String, String> r : read) {
        offsets.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset());
        int value = Integer.parseInt(r.value().substring("value-".length()));
        Integer previous = lastValueByKey.put(r.key(), value);
        assertThat(previous == null || previous < value)
            .as("records of key %s in send order", r.key()).isTrue();
      }
      for (Map.Entry<Integer, List<Long>> e : offsets.entrySet()) {
        List<Long> got = e.getValue();
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).isEqualTo((long) i);
        }
        assertThat(got).containsExactlyElementsOf(acked.get(e.getKey()).stream().sorted().toList());
      }
    }
  }
}
