package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.compress.Compression;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The builder's contract: bounded size, header fields derived right, fields fixed early. */
class RecordBatchBuilderTest {
  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void refusesToGrowPastTheMaximumEvenForIncompressibleData(CompressionType codec) {
    int max = 64 * 1024;
    RecordBatchBuilder b = new RecordBatchBuilder().compression(codec).maxBatchBytes(max);
    Random rnd = new Random(TestRecords.seed());
    int appended = 0;
    while (b.tryAppend(appended, null, TestRecords.randomBytes(rnd, 1000))) {
      appended++;
    }
    assertThat(appended).isGreaterThan(40);
    ByteBuffer batch = b.build();
    assertThat(batch.remaining()).isLessThanOrEqualTo(max);
    assertThat(RecordBatch.at(batch, 0).recordCount()).isEqualTo(appended);
    MemoryRecords.readableRecords(batch).batches().forEach(MutableRecordBatch::ensureValid);
  }

  @Test
  void aRecordLargerThanTheMaximumIsRefusedAndNothingIsAppended() {
    RecordBatchBuilder b = new RecordBatchBuilder().maxBatchBytes(1000);
    assertThat(b.tryAppend(1, null, new byte[2000])).isFalse();
    assertThat(b.recordCount()).isZero();
    assertThatThrownBy(() -> b.append(1, null, new byte[2000]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void headerFieldsAreDerivedFromTheRecords() {
    ByteBuffer buf = new RecordBatchBuilder().baseOffset(100)
        .append(50, null, new byte[] {1})
        .append(70, null, new byte[] {2})
        .append(20, null, new byte[] {3})
        .build();
    RecordBatch b = RecordBatch.at(buf, 0);
    b.validate(buf.limit());
    assertThat(b.baseTimestamp()).isEqualTo(50);
    assertThat(b.maxTimestamp()).isEqualTo(70);
    assertThat(b.lastOffsetDelta()).isEqualTo(2);
    assertThat(b.lastOffset()).isEqualTo(102);
    assertThat(b.recordCount()).isEqualTo(3);
    assertThat(b.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
    assertThat(b.partitionLeaderEpoch()).isEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
    assertThat(b.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    assertThat(TestRecords.ourRead(b)).extracting(TestRecords.Rec::timestamp)
        .containsExactly(50L, 70L, 20L);
  }

  @Test
  void controlAndTransactionalFlagsAreWrittenAsKafkaReadsThem() {
    // A COMMIT marker: key = version 0, type 1; value = version 0, coordinator epoch 5.
    ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 1).flip();
    ByteBuffer value = ByteBuffer.allocate(6).putShort((short) 0).putInt(5).flip();
    ByteBuffer buf = new RecordBatchBuilder().transactional().control()
        .producer(7, (short) 1, RecordBatch.NO_SEQUENCE)
        .append(1, key, value, List.of()).build();
    MutableRecordBatch theirs = MemoryRecords.readableRecords(buf).batches().iterator().next();
    theirs.ensureValid();
    assertThat(theirs.isControlBatch()).isTrue();
    assertThat(theirs.isTransactional()).isTrue();
    assertThat(org.apache.kafka.common.record.ControlRecordType.parse(
        theirs.iterator().next().key())).isEqualTo(
        org.apache.kafka.common.record.ControlRecordType.COMMIT);
  }

  @Test
  void batchFieldsCannotChangeAfterTheFirstRecordNorAnythingAfterBuild() {
    RecordBatchBuilder b = new RecordBatchBuilder().append(1, null, null);
    assertThatThrownBy(() -> b.compression(CompressionType.GZIP))
        .isInstanceOf(IllegalStateException.class);
    b.build();
    assertThatThrownBy(() -> b.append(2, null, null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void negativeTimestampsOtherThanNoTimestampAreRefused() {
    RecordBatchBuilder b = new RecordBatchBuilder();
    assertThatThrownBy(() -> b.append(-2, null, null)).isInstanceOf(IllegalArgumentException.class);
    b.append(RecordBatch.NO_TIMESTAMP, null, null);
    assertThat(RecordBatch.at(b.build(), 0).maxTimestamp()).isEqualTo(RecordBatch.NO_TIMESTAMP);
  }

  @Test
  void compressedBatchesReallyShrink() {
    RecordBatchBuilder b = new RecordBatchBuilder().compression(CompressionType.ZSTD);
    for (int i = 0; i < 1000; i++) {
      b.append(i, null, ("the same text again " + i % 10).getBytes());
    }
    int uncompressed = b.uncompressedSizeInBytes();
    assertThat(b.build().remaining()).isLessThan(uncompressed / 5);
    assertThat(Compression.maxCompressedBytes(CompressionType.ZSTD, 100)).isGreaterThan(100);
  }
}
