package io.rill.protocol.record;

import static io.rill.protocol.record.RecordBatchValidator.Source.LOG;
import static io.rill.protocol.record.RecordBatchValidator.Source.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the broker applies to a producer's batch, and the looser ones for stored data. */
class RecordBatchValidatorTest {
  private final RecordBatchValidator validator = new RecordBatchValidator();

  /** An uncompressed batch whose records carry exactly these offset deltas. */
  static ByteBuffer withDeltas(int lastOffsetDelta, int... deltas) {
    ByteBuffer records = ByteBuffer.allocate(64 * deltas.length);
    byte[][] none = new byte[0][];
    for (int d : deltas) {
      int body = RecordFormat.sizeOfBody(d, 0, -1, 1, none, new ByteBuffer[0]);
      RecordFormat.write(records, body, d, 0, null, ByteBuffer.wrap(new byte[] {1}), none,
          new ByteBuffer[0]);
    }
    records.flip();
    ByteBuffer batch = ByteBuffer.allocate(RecordBatch.RECORDS_OFFSET + records.remaining());
    batch.position(RecordBatch.RECORDS_OFFSET);
    batch.put(records).flip();
    RecordIteratorTest.finishHeader(batch, CompressionType.NONE, deltas.length);
    batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta);
    fixCrc(batch);
    return batch;
  }

  static void fixCrc(ByteBuffer batch) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(batch.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
    batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
  }

  void check(ByteBuffer b, RecordBatchValidator.Source s) {
    validator.validate(RecordBatch.at(b, 0), b.limit(), s);
  }

  @Test
  void producerBatchesNeedConsecutiveDeltasFromZero() {
    check(withDeltas(2, 0, 1, 2), PRODUCER);
    assertThat(validator.recordCount()).isEqualTo(3);
    assertThatThrownBy(() -> check(withDeltas(2, 0, 2, 1), PRODUCER))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("expected 1");
    assertThatThrownBy(() -> check(withDeltas(3, 0, 1, 3), PRODUCER))
        .isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void compactedBatchesMayHaveGapsButDeltasMustIncreaseWithinRange() {
    check(withDeltas(9, 0, 4, 9), LOG);
    check(withDeltas(9, 3), LOG);
    assertThatThrownBy(() -> check(withDeltas(9, 4, 4), LOG))
        .isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> check(withDeltas(5, 0, 6), LOG))
        .isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void producersMayNotSendControlBatchesOrSequencelessIdempotentOnes() {
    ByteBuffer control = new RecordBatchBuilder().control().append(1, new byte[4], new byte[6])
        .build();
    assertThatThrownBy(() -> check(control, PRODUCER)).hasMessageContaining("control");
    check(control, LOG);
    ByteBuffer noSeq = new RecordBatchBuilder().producer(5, (short) 0, -1)
        .append(1, null, null).build();
    assertThatThrownBy(() -> check(noSeq, PRODUCER)).hasMessageContaining("sequence");
  }

  @Test
  void reportsTheMaxTimestampAndWhereItIs() {
    ByteBuffer b = new RecordBatchBuilder().append(10, null, null).append(30, null, null)
        .append(20, null, null).build();
    check(b, PRODUCER);
    assertThat(validator.maxTimestamp()).isEqualTo(30);
    assertThat(validator.offsetDeltaOfMaxTimestamp()).isEqualTo(1);
  }

  @Test
  void aCrcMismatchIsCaughtFirst() {
    ByteBuffer b = new RecordBatchBuilder().append(1, null, new byte[] {1}).build();
    b.put(b.limit() - 1, (byte) 2);
    assertThatThrownBy(() -> check(b, LOG)).hasMessageContaining("CRC");
  }

  @Test
  void aHeaderCountClaimingMoreThanTheBytesIsRefusedBeforeAllocating() {
    ByteBuffer b = new RecordBatchBuilder()
        .append(1, null, null, List.of(Header.of("k", null))).build();
    // The header count is the byte before the header key length (1 header, 1-byte varints).
    int countAt = b.limit() - 1 - 1 - 1 - 1;
    assertThat(b.get(countAt)).isEqualTo((byte) 2); // zig-zag 1
    b.put(countAt, (byte) 0x7e); // zig-zag 63 headers, with 3 bytes left to hold them
    fixCrc(b);
    assertThatThrownBy(() -> check(b, LOG)).isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("header count");
    assertThatThrownBy(() -> TestRecords.ourRead(RecordBatch.at(b, 0)))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("header count");
  }
}
