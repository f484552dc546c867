package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.compress.BoundedOutputBuffer;
import io.rill.protocol.compress.Compression;
import io.rill.protocol.types.Varints;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Record iteration: zero-copy in place, bounded when decompressing, strict about counts. */
class RecordIteratorTest {
  @Test
  void uncompressedRecordsAreSlicesOfTheBatchNotCopies() {
    ByteBuffer buf = new RecordBatchBuilder()
        .append(1, ByteBuffer.wrap("k".getBytes()), ByteBuffer.wrap("value".getBytes()),
            List.of(Header.of("h", "hv".getBytes())))
        .build();
    Record r;
    try (RecordIterator it = RecordBatch.at(buf, 0).records()) {
      r = it.next();
      assertThat(it.hasNext()).isFalse();
    }
    assertThat(r.value().isReadOnly()).isTrue();
    // Change the batch's bytes under the record: the view sees it, so nothing was copied.
    int valueAt = indexOf(buf, "value".getBytes());
    buf.put(valueAt, (byte) 'V');
    assertThat(TestRecords.bytes(r.value())).isEqualTo("Value".getBytes());
    assertThat(r.headers()).containsExactly(Header.of("h", "hv".getBytes()));
    assertThat(r.offset()).isZero();
    assertThat(r.sizeInBytes()).isEqualTo(buf.remaining() - RecordBatch.RECORD_BATCH_OVERHEAD);
  }

  static int indexOf(ByteBuffer buf, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= buf.limit(); i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf.get(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  /** A batch whose header says one record but whose compressed data expands to 1 GiB. */
  @ParameterizedTest
  @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void aCompressedBombBehindARecordLengthIsRefused(CompressionType codec) throws Exception {
    BoundedOutputBuffer out = new BoundedOutputBuffer(1 << 16, 64 << 20);
    out.position(RecordBatch.RECORDS_OFFSET);
    try (OutputStream c = Compression.compressor(codec, new NonClosing(out))) {
      // One record claiming (almost) 1 GiB, then zeros.
      ByteBuffer len = ByteBuffer.allocate(5);
      Varints.writeVarint(1 << 30, len);
      c.write(len.array(), 0, len.position());
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < (codec == CompressionType.GZIP ? 80 : 256); i++) {
        c.write(zeros);
      }
    }
    ByteBuffer batch = finishHeader(out.toByteBuffer(), codec, 1);
    assertThatThrownBy(() -> TestRecords.ourRead(RecordBatch.at(batch, 0)))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("limit");
    // Records of honest length that add up past the limit are refused too.
    assertThatThrownBy(() -> new RecordBatchValidator(1 << 20).validate(RecordBatch.at(batch, 0),
        batch.limit(), RecordBatchValidator.Source.LOG))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("limit");
  }

  @ParameterizedTest
  @EnumSource(CompressionType.class)
  void moreRecordsThanTheCountOrFewerAreBothCorrupt(CompressionType codec) {
    ByteBuffer three = TestRecords.ourWrite(TestRecords.BatchSpec.plain(codec),
        TestRecords.sample(new java.util.Random(1), 3));
    ByteBuffer fewer = three.duplicate();
    fewer = ByteBuffer.allocate(three.remaining()).put(three.duplicate()).flip();
    fewer.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 2);
    ByteBuffer f = fewer;
    assertThatThrownBy(() -> TestRecords.ourRead(RecordBatch.at(f, 0)))
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("last of 2");
    ByteBuffer more = ByteBuffer.allocate(three.remaining()).put(three.duplicate()).flip();
    more.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 4);
    assertThatThrownBy(() -> TestRecords.ourRead(RecordBatch.at(more, 0)))
        .isInstanceOf(InvalidRecordException.class);
  }

  static ByteBuffer finishHeader(ByteBuffer batch, CompressionType codec, int count) {
    batch.putInt(RecordBatch.LENGTH_OFFSET, batch.remaining() - RecordBatch.LOG_OVERHEAD)
        .putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, -1)
        .put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2)
        .putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) codec.id)
        .putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, count - 1)
        .putLong(RecordBatch.PRODUCER_ID_OFFSET, -1)
        .putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) -1)
        .putInt(RecordBatch.BASE_SEQUENCE_OFFSET, -1)
        .putInt(RecordBatch.RECORDS_COUNT_OFFSET, count);
    CRC32C crc = new CRC32C();
    crc.update(batch.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
    batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    return batch;
  }

  static final class NonClosing extends OutputStream {
    private final BoundedOutputBuffer out;

    NonClosing(BoundedOutputBuffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(b, off, len);
    }
  }
}
