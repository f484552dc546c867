package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application notices: null keys and values, headers and unicode come back as sent;
 * offsetsForTimes and seek find records by time; DeleteRecords moves the earliest offset.
 */
class ClientFeaturesIT {

  @Test
  void recordsComeBackAsSentAndCanBeFoundByTime(@TempDir Path dir) throws Exception {
    String topic = "features";
    TopicPartition tp = new TopicPartition(topic, 0);
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      long base = 1_700_000_000_000L;
      try (KafkaProducer<String, String> p = Clients.producer(node,
          Clients.props("linger.ms", "0"))) {
        p.send(new ProducerRecord<String, String>(topic, 0, (Long) base, null, null)).get(30, TimeUnit.SECONDS);
        ProducerRecord<String, String> withHeaders =
            new ProducerRecord<>(topic, 0, base + 1000, "ключ", "värde ✓ 日本");
        withHeaders.headers().add(new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)));
        withHeaders.headers().add(new RecordHeader("empty", null));
        p.send(withHeaders).get(30, TimeUnit.SECONDS);
        for (int i = 2; i < 10; i++) {
          p.send(new ProducerRecord<>(topic, 0, base + i * 1000L, "k" + i, "v" + i))
              .get(30, TimeUnit.SECONDS);
        }
      }
      try (KafkaConsumer<String, String> c = Clients.consumer(node, Clients.props())) {
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        List<ConsumerRecord<String, String>> all =
            Clients.pollUntil(c, r -> r.size() >= 10, Duration.ofSeconds(30));
        assertThat(all).hasSize(10);
        assertThat(all.get(0).key()).isNull();
        assertThat(all.get(0).value()).isNull();
        assertThat(all.get(1).key()).isEqualTo("ключ");
        assertThat(all.get(1).value()).isEqualTo("värde ✓ 日本");
        assertThat(new String(all.get(1).headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
            .isEqualTo("abc");
        assertThat(all.get(1).headers().lastHeader("empty").value()).isNull();
        assertThat(all.get(5).timestamp()).isEqualTo(base + 5000);

        Map<TopicPartition, OffsetAndTimestamp> found =
            c.offsetsForTimes(Map.of(tp, base + 4500), Duration.ofSeconds(30));
        assertThat(found.get(tp).offset()).isEqualTo(5L);
        assertThat(c.offsetsForTimes(Map.of(tp, base + 60_000), Duration.ofSeconds(30)).get(tp))
            .isNull();
        c.seek(tp, found.get(tp).offset());
        List<ConsumerRecord<String, String>> fromFive =
            Clients.pollUntil(c, r -> !r.isEmpty(), Duration.ofSeconds(30));
        assertThat(fromFive.get(0).value()).isEqualTo("v5");
      }
      admin.deleteRecords(Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(3)))
          .all().get(30, TimeUnit.SECONDS);
      assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all()
          .get(30, TimeUnit.SECONDS).get(tp).offset()).isEqualTo(3L);
      assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).all()
          .get(30, TimeUnit.SECONDS).get(tp).offset()).isEqualTo(9L);
    }
  }

  @Test
  void timeLookupsFindTheRecordInsideABatchAsKafkaDoes(@TempDir Path dir) throws Exception {
    String topic = "batched";
    TopicPartition tp = new TopicPartition(topic, 0);
    long base = 1_700_000_000_000L;
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      // One batch of ten records (long linger, then flush); the largest timestamp is record 8.
      try (KafkaProducer<String, String> p = Clients.producer(node,
          Clients.props("linger.ms", "20000", "compression.type", "lz4"))) {
        for (int i = 0; i < 10; i++) {
          long ts = i == 8 ? base + 99_000 : base + i * 1000L;
          p.send(new ProducerRecord<>(topic, 0, ts, "k" + i, "v" + i));
        }
        p.flush();
      }
      // The earliest offset whose timestamp reaches the target, record by record.
      assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(base + 4500))).all()
          .get(30, TimeUnit.SECONDS).get(tp).offset()).isEqualTo(5L);
      assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.forTimestamp(base + 8500))).all()
          .get(30, TimeUnit.SECONDS).get(tp).offset()).isEqualTo(8L);
      var max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).all()
          .get(30, TimeUnit.SECONDS).get(tp);
      assertThat(max.offset()).isEqualTo(8L);
      assertThat(max.timestamp()).isEqualTo(base + 99_000);
    }
  }
}
