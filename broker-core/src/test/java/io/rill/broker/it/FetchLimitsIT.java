package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's {@code fetch.max.bytes} caps every fetch response below what the client asks for
 * (KIP-74), yet a consumer still progresses: the first batch is always returned whole.
 */
class FetchLimitsIT {
  private static final String TOPIC = "limited";
  private static final int RECORDS = 8;
  private static final int VALUE_BYTES = 600;

  @Test
  void brokerFetchMaxBytesCapsResponsesAndConsumersStillReadEverything(@TempDir Path dir)
      throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), Map.of("fetch.max.bytes", "1024"))) {
      try (Admin admin = Admin.create(node.clientProps())) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      }
      Properties oneBatchPerRecord = new Properties();
      oneBatchPerRecord.put("linger.ms", "0");
      try (KafkaProducer<String, String> producer = Clients.producer(node, oneBatchPerRecord)) {
        for (int i = 0; i < RECORDS; i++) {
          producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v".repeat(VALUE_BYTES))).get();
        }
      }

      try (RawClient raw = new RawClient(node.port())) {
        Struct request = new Struct(FetchRequest.SCHEMA).set(FetchRequest.MAX_WAIT_MS, 0)
            .set(FetchRequest.MIN_BYTES, 0).set(FetchRequest.MAX_BYTES, 1 << 20);
        request.addElement(FetchRequest.TOPICS).set(FetchRequest.TOPIC, TOPIC)
            .addElement(FetchRequest.PARTITIONS).set(FetchRequest.PARTITION, 0)
            .set(FetchRequest.FETCH_OFFSET, 0L).set(FetchRequest.PARTITION_MAX_BYTES, 1 << 20);
        Struct response = raw.roundTrip(ApiKey.FETCH, (short) 12, request);
        Struct partition = response.get(FetchResponse.RESPONSES).get(0)
            .get(FetchResponse.PARTITIONS).get(0);
        int bytes = ((ByteBuffer) partition.get(FetchResponse.RECORDS)).remaining();
        assertThat(bytes).as("one whole ~%d-byte batch, not all %d", VALUE_BYTES, RECORDS)
            .isGreaterThan(VALUE_BYTES).isLessThan(2 * VALUE_BYTES);
        assertThat(partition.getLong(FetchResponse.HIGH_WATERMARK)).isEqualTo(RECORDS);
      }

      try (KafkaConsumer<String, String> consumer = Clients.consumer(node, new Properties())) {
        consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(TOPIC, 0)));
        var read = Clients.pollUntil(consumer, all -> all.size() >= RECORDS,
            Duration.ofSeconds(30));
        assertThat(read).extracting(r -> r.key())
            .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
      }
    }
  }
}
