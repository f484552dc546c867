package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ApiVersionsResponse;
import io.rill.protocol.message.MetadataRequest;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets Kafka's answer and costs nothing else: after each case a well-behaved client
 * is still served, and what was acknowledged before is still there.
 */
class BadInputIT {
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  @TempDir static Path dir;
  private static TestNode node;

  @BeforeAll
  static void start() {
    System.out.println("BadInputIT seed " + SEED);
    node = TestNode.start(dir, Map.of("message.max.bytes", String.valueOf(2 * 1024 * 1024)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A fresh connection answers ApiVersions: the broker still serves everyone else. */
  private static void assertStillServing() throws Exception {
    try (RawClient ok = new RawClient(node.port())) {
      Struct r = ok.roundTrip(ApiKey.API_VERSIONS, (short) 3,
          new Struct(io.rill.protocol.message.ApiVersionsRequest.SCHEMA));
      assertThat(r.get(ApiVersionsResponse.ERROR_CODE)).isEqualTo(Errors.NONE.code);
    }
  }

  @Test
  void anApiVersionsNewerThanOursGetsUnsupportedVersionWithOurRanges() throws Exception {
    try (RawClient c = new RawClient(node.port())) {
      // ApiVersions v99 (header v2): answered with a v0 body, as KIP-511 clients expect.
      ByteBuffer req = ByteBuffer.allocate(64).putShort((short) 18).putShort((short) 99)
          .putInt(7).putShort((short) 4).put("test".getBytes(StandardCharsets.UTF_8)).put((byte) 0)
          .put((byte) 0).flip();
      byte[] bytes = new byte[req.remaining()];
      req.get(bytes);
      c.sendFrame(bytes);
      Struct r = c.receive(ApiKey.API_VERSIONS, (short) 0, 7);
      assertThat(r.get(ApiVersionsResponse.ERROR_CODE)).isEqualTo(Errors.UNSUPPORTED_VERSION.code);
      assertThat(r.get(ApiVersionsResponse.API_KEYS))
          .anySatisfy(k -> assertThat(k.get(ApiVersionsResponse.API_KEY)).isEqualTo((short) 18));
    }
    assertStillServing();
  }

  @Test
  void anUnknownApiKeyOrAMalformedBodyClosesOnlyThatConnection() throws Exception {
    try (RawClient c = new RawClient(node.port())) {
      c.sendFrame(ByteBuffer.allocate(10).putShort((short) 9999).putShort((short) 0).putInt(1)
          .putShort((short) -1).array());
      assertThat(c.isClosedByBroker()).isTrue();
    }
    try (RawClient c = new RawClient(node.port())) {
      // Metadata v12 header, then a topic array claiming 2^31-1 entries.
      c.sendFrame(ByteBuffer.allocate(20).putShort((short) 3).putShort((short) 12).putInt(2)
          .putShort((short) -1).put((byte) 0).put(new byte[] {(byte) 0xff, (byte) 0xff,
              (byte) 0xff, (byte) 0xff, 0x07}).array());
      assertThat(c.isClosedByBroker()).isTrue();
    }
    Random random = new Random(SEED);
    for (int i = 0; i < 50; i++) {
      byte[] garbage = new byte[8 + random.nextInt(200)];
      random.nextBytes(garbage);
      try (RawClient c = new RawClient(node.port())) {
        c.sendFrame(garbage);
      }
    }
    assertStillServing();
  }

  @Test
  void aBatchWithABadCrcIsCorruptMessageAndAnIllegalTopicNameIsInvalidTopic() throws Exception {
    ByteBuffer batch = new RecordBatchBuilder()
        .append(System.currentTimeMillis(), "k".getBytes(), "value".getBytes()).build();
    batch.put(batch.limit() - 2, (byte) (batch.get(batch.limit() - 2) ^ 0x55));
    assertThat(produceError("corrupt", batch)).isEqualTo(Errors.CORRUPT_MESSAGE.code);
    ByteBuffer good = new RecordBatchBuilder()
        .append(System.currentTimeMillis(), "k".getBytes(), "v".getBytes()).build();
    assertThat(produceError("bad name!", good)).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code);
    assertThat(produceError("never-created", good.duplicate()))
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    assertStillServing();
  }

  private static short produceError(String topic, ByteBuffer records) throws Exception {
    if (!topic.contains(" ") && !topic.equals("never-created")) {
      try (KafkaProducer<String, String> p = Clients.producer(node, Clients.props())) {
        p.send(new ProducerRecord<>(topic, "warm", "up")).get(30, TimeUnit.SECONDS);
      }
    }
    Struct request = new Struct(ProduceRequest.SCHEMA).set(ProduceRequest.ACKS, (short) -1)
        .set(ProduceRequest.TIMEOUT_MS, 5000);
    request.addElement(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TOPIC_NAME, topic)
        .addElement(ProduceRequest.PARTITION_DATA).set(ProduceRequest.PARTITION_INDEX, 0)
        .set(ProduceRequest.RECORDS, records);
    try (RawClient c = new RawClient(node.port())) {
      Struct r = c.roundTrip(ApiKey.PRODUCE, (short) 9, request);
      return r.get(ProduceResponse.RESPONSES).get(0).get(ProduceResponse.PARTITION_RESPONSES)
          .get(0).get(ProduceResponse.ERROR_CODE);
    }
  }

  @Test
  void aRecordOverMessageMaxBytesIsRefusedAndA900KibRecordRoundTrips() throws Exception {
    try (KafkaProducer<byte[], byte[]> p = Clients.bytesProducer(node,
        Clients.props("max.request.size", String.valueOf(16 * 1024 * 1024)))) {
      byte[] big = new byte[12 * 1024 * 1024];
      assertThatThrownBy(() -> p.send(new ProducerRecord<>("large", big)).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
      byte[] value = new byte[900 * 1024];
      new Random(SEED).nextBytes(value);
      var meta = p.send(new ProducerRecord<>("large", null, value)).get(30, TimeUnit.SECONDS);
      try (var consumer = Clients.bytesConsumer(node)) {
        var tp = new org.apache.kafka.common.TopicPartition("large", meta.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, meta.offset());
        var read = Clients.pollUntil(consumer, all -> !all.isEmpty(), Duration.ofSeconds(30));
        assertThat(read).isNotEmpty();
        assertThat(read.get(0).key()).isNull();
        assertThat(read.get(0).value()).isEqualTo(value);
      }
    }
    assertStillServing();
  }

  @Test
  void metadataForAnIllegalTopicNameIsInvalidTopic() throws Exception {
    Struct request = new Struct(MetadataRequest.SCHEMA);
    request.addElement(MetadataRequest.TOPICS).set(MetadataRequest.TOPIC_NAME, "no/slashes");
    try (RawClient c = new RawClient(node.port())) {
      Struct r = c.roundTrip(ApiKey.METADATA, (short) 12, request);
      assertThat(r.get(io.rill.protocol.message.MetadataResponse.TOPICS).get(0)
          .get(io.rill.protocol.message.MetadataResponse.TOPIC_ERROR_CODE))
          .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code);
    }
  }
}
