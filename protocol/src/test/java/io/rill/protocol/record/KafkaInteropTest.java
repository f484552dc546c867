package io.rill.protocol.record;

import static io.rill.protocol.record.TestRecords.BatchSpec;
import static io.rill.protocol.record.TestRecords.Rec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official client is the oracle: what kafka-clients' MemoryRecordsBuilder (the producer's
 * own writer) writes, we read field for field; what we write, it reads and accepts
 * ({@code ensureValid}), with the same records and CRC. Every codec, both directions.
 */
class KafkaInteropTest {
  private static final BatchSpec IDEMPOTENT_TXN =
      new BatchSpec(CompressionType.NONE, 1234, 987654321L, (short) 7, 42, true, 11, -1);

  private static BatchSpec withCodec(BatchSpec s, CompressionType c) {
    return new BatchSpec(c, s.baseOffset(), s.producerId(), s.producerEpoch(), s.baseSequence(),
        s.transactional(), s.leaderEpoch(), s.logAppendTime());
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void weReadWhatKafkaWrites(CompressionType codec) {
    Random rnd = new Random(TestRecords.seed());
    // Large enough to span several codec blocks (lz4 64 KiB, snappy 32 KiB).
    List<Rec> recs = TestRecords.sample(rnd, 2000);
    BatchSpec spec = withCodec(IDEMPOTENT_TXN, codec);
    ByteBuffer buf = TestRecords.kafkaWrite(spec, recs);
    MutableRecordBatch theirs = MemoryRecords.readableRecords(buf.duplicate()).batches()
        .iterator().next();

    RecordBatch ours = RecordBatch.at(buf, buf.position());
    ours.validate(buf.limit());
    assertThat(ours.compression()).isEqualTo(codec);
    assertThat(ours.checksum()).isEqualTo(theirs.checksum());
    assertThat(ours.baseOffset()).isEqualTo(1234);
    assertThat(ours.lastOffset()).isEqualTo(theirs.lastOffset());
    assertThat(ours.producerId()).isEqualTo(987654321L);
    assertThat(ours.producerEpoch()).isEqualTo((short) 7);
    assertThat(ours.baseSequence()).isEqualTo(42);
    assertThat(ours.lastSequence()).isEqualTo(theirs.lastSequence());
    assertThat(ours.isTransactional()).isTrue();
    assertThat(ours.partitionLeaderEpoch()).isEqualTo(11);
    assertThat(ours.maxTimestamp()).isEqualTo(theirs.maxTimestamp());
    assertThat(ours.recordCount()).isEqualTo(recs.size());
    assertThat(TestRecords.ourRead(ours)).isEqualTo(recs);

    // Offsets too, record by record.
    try (RecordIterator it = ours.records()) {
      Iterator<org.apache.kafka.common.record.Record> theirIt = theirs.iterator();
      while (it.hasNext()) {
        assertThat(it.next().offset()).isEqualTo(theirIt.next().offset());
      }
    }
    RecordBatchValidator validator = new RecordBatchValidator();
    validator.validate(ours, buf.limit(), RecordBatchValidator.Source.PRODUCER);
    assertThat(validator.recordCount()).isEqualTo(recs.size());
    assertThat(validator.maxTimestamp()).isEqualTo(theirs.maxTimestamp());
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void kafkaReadsWhatWeWrite(CompressionType codec) {
    Random rnd = new Random(TestRecords.seed());
    List<Rec> recs = TestRecords.sample(rnd, 2000);
    BatchSpec spec = withCodec(IDEMPOTENT_TXN, codec);
    ByteBuffer ourBuf = TestRecords.ourWrite(spec, recs);

    MemoryRecords theirs = MemoryRecords.readableRecords(ourBuf.duplicate());
    MutableRecordBatch batch = theirs.batches().iterator().next();
    batch.ensureValid();
    assertThat((int) batch.compressionType().id).isEqualTo(codec.id);
    assertThat(batch.baseOffset()).isEqualTo(1234);
    assertThat(batch.lastOffset()).isEqualTo(1234 + recs.size() - 1);
    assertThat(batch.producerId()).isEqualTo(987654321L);
    assertThat(batch.producerEpoch()).isEqualTo((short) 7);
    assertThat(batch.baseSequence()).isEqualTo(42);
    assertThat(batch.isTransactional()).isTrue();
    assertThat(batch.partitionLeaderEpoch()).isEqualTo(11);
    assertThat(batch.countOrNull()).isEqualTo(recs.size());
    assertThat(batch.maxTimestamp())
        .isEqualTo(recs.stream().mapToLong(Rec::timestamp).max().orElseThrow());
    assertThat(TestRecords.kafkaRead(batch)).isEqualTo(recs);

    // Same records through both writers give the same batch up to the compressed bytes; the
    // uncompressed form must be byte-identical.
    if (codec == CompressionType.NONE) {
      assertThat(ourBuf).isEqualTo(TestRecords.kafkaWrite(spec, recs));
    }
    RecordBatch ours = RecordBatch.at(ourBuf, 0);
    assertThat(ours.checksum()).isEqualTo(batch.checksum()).isEqualTo(ours.computeChecksum());
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void logAppendTimeMatchesKafka(CompressionType codec) {
    List<Rec> recs = TestRecords.sample(new Random(TestRecords.seed()), 50);
    BatchSpec spec = new BatchSpec(codec, 0, -1, (short) -1, -1, false, -1, 1_800_000_000_000L);
    MutableRecordBatch theirs = MemoryRecords.readableRecords(TestRecords.ourWrite(spec, recs))
        .batches().iterator().next();
    theirs.ensureValid();
    assertThat(theirs.timestampType())
        .isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
    ByteBuffer kafkaBuf = TestRecords.kafkaWrite(spec, recs);
    List<Rec> ourView = TestRecords.ourRead(RecordBatch.at(kafkaBuf, 0));
    List<Rec> kafkaView = TestRecords.kafkaRead(theirs);
    assertThat(ourView).isEqualTo(kafkaView);
    assertThat(ourView).allMatch(r -> r.timestamp() == 1_800_000_000_000L);
  }
}
