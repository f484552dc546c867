package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.InitProducerIdRequest;
import io.rill.protocol.message.InitProducerIdResponse;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotent-producer rules on the wire: a retried batch gets its original offset back and
 * is stored once; a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is fenced.
 */
class IdempotenceIT {

  @Test
  void aRetriedBatchIsStoredOnceAndGapsAndOldEpochsAreRefused(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps());
        RawClient client = new RawClient(node.port())) {
      admin.createTopics(java.util.List.of(new NewTopic("idem", 1, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
      Struct init = client.roundTrip(ApiKey.INIT_PRODUCER_ID, (short) 4,
          new Struct(InitProducerIdRequest.SCHEMA).set(InitProducerIdRequest.TRANSACTIONAL_ID, null)
              .set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, 60000));
      assertThat(init.get(InitProducerIdResponse.ERROR_CODE)).isEqualTo(Errors.NONE.code);
      long pid = init.get(InitProducerIdResponse.PRODUCER_ID);
      short epoch = init.get(InitProducerIdResponse.PRODUCER_EPOCH);

      Struct first = produce(client, batch(pid, epoch, 0, 3));
      Struct retry = produce(client, batch(pid, epoch, 0, 3));
      assertThat(error(first)).isEqualTo(Errors.NONE.code);
      assertThat(error(retry)).isEqualTo(Errors.NONE.code);
      assertThat(baseOffset(retry)).isEqualTo(baseOffset(first));

      Struct next = produce(client, batch(pid, epoch, 3, 2));
      assertThat(baseOffset(next)).isEqualTo(baseOffset(first) + 3);
      assertThat(error(produce(client, batch(pid, epoch, 9, 1))))
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code);
      assertThat(error(produce(client, batch(pid, (short) (epoch + 1), 0, 1))))
          .isEqualTo(Errors.NONE.code);
      assertThat(error(produce(client, batch(pid, epoch, 5, 1))))
          .isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code);

      var end = admin.listOffsets(java.util.Map.of(new org.apache.kafka.common.TopicPartition("idem", 0),
          org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS);
      assertThat(end.values().iterator().next().offset()).isEqualTo(6L);
    }
  }

  @Test
  void anIdleProducersStateExpiresAfterProducerIdExpirationMs(@TempDir Path dir)
      throws Exception {
    java.util.Map<String, String> quickExpiry = java.util.Map.of(
        "producer.id.expiration.ms", "1000", "producer.id.expiration.check.interval.ms", "100");
    try (TestNode node = TestNode.start(dir, quickExpiry);
        Admin admin = Admin.create(node.clientProps());
        RawClient client = new RawClient(node.port())) {
      admin.createTopics(java.util.List.of(new NewTopic("idem", 1, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
      long pid = 4242;
      ByteBuffer batch = batch(pid, (short) 0, 0, 3);
      long original = baseOffset(produce(client, batch.duplicate()));

      // While the producer is remembered, the same batch again is a duplicate (its original
      // offset, nothing appended); once its state expired, it is a new producer's first batch.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long offset = original;
      while (offset == original) {
        assertThat(System.nanoTime()).as("state expired within 30 s").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        Struct again = produce(client, batch.duplicate());
        assertThat(error(again)).isEqualTo(Errors.NONE.code);
        offset = baseOffset(again);
      }
      assertThat(offset).as("appended after the first copy").isEqualTo(original + 3);
    }
  }

  @Test
  void producerStateSurvivesCleanRestartsFromItsSnapshotAndFromTheLogWhenTheSnapshotIsBad(
      @TempDir Path dir) throws Exception {
    Path snapshot = dir.resolve("idem-0")
        .resolve(io.rill.broker.log.LogFiles.PRODUCER_STATE_FILE);
    TestNode node = TestNode.start(dir);
    try {
      try (Admin admin = Admin.create(node.clientProps())) {
        admin.createTopics(java.util.List.of(new NewTopic("idem", 1, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      }
      long pid = 77;
      ByteBuffer batch = batch(pid, (short) 0, 0, 3);
      long original;
      try (RawClient client = new RawClient(node.port())) {
        original = baseOffset(produce(client, batch.duplicate()));
      }

      node.node().close();
      assertThat(snapshot).as("written at the clean shutdown").exists();
      node.startNode();
      assertThat(snapshot).as("read and removed at the start").doesNotExist();
      assertRetryIsDuplicate(node, batch, original);

      node.node().close();
      java.nio.file.Files.write(snapshot, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
          13, 14, 15, 16, 17, 18, 19, 20, 21, 22});
      node.startNode();
      assertRetryIsDuplicate(node, batch, original);
    } finally {
      node.close();
    }
  }

  private static void assertRetryIsDuplicate(TestNode node, ByteBuffer batch, long original)
      throws Exception {
    try (RawClient client = new RawClient(node.port())) {
      Struct retry = produce(client, batch.duplicate());
      assertThat(error(retry)).isEqualTo(Errors.NONE.code);
      assertThat(baseOffset(retry)).as("the original offset: a duplicate, not a new copy")
          .isEqualTo(original);
    }
  }

  private static ByteBuffer batch(long pid, short epoch, int baseSequence, int records) {
    RecordBatchBuilder b = new RecordBatchBuilder().producer(pid, epoch, baseSequence);
    for (int i = 0; i < records; i++) {
      b.append(System.currentTimeMillis(), ("k" + i).getBytes(), ("v" + i).getBytes());
    }
    return b.build();
  }

  private static Struct produce(RawClient client, ByteBuffer records) throws Exception {
    Struct request = new Struct(ProduceRequest.SCHEMA).set(ProduceRequest.ACKS, (short) -1)
        .set(ProduceRequest.TIMEOUT_MS, 5000);
    request.addElement(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TOPIC_NAME, "idem")
        .addElement(ProduceRequest.PARTITION_DATA).set(ProduceRequest.PARTITION_INDEX, 0)
        .set(ProduceRequest.RECORDS, records);
    return client.roundTrip(ApiKey.PRODUCE, (short) 11, request).get(ProduceResponse.RESPONSES)
        .get(0).get(ProduceResponse.PARTITION_RESPONSES).get(0);
  }

  private static short error(Struct partition) {
    return partition.get(ProduceResponse.ERROR_CODE);
  }

  private static long baseOffset(Struct partition) {
    return partition.get(ProduceResponse.BASE_OFFSET);
  }
}
