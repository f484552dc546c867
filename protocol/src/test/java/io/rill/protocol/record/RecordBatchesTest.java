package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A buffer of batches: whole ones iterate, a cut tail is partial, a bad header is corrupt. */
class RecordBatchesTest {
  static ByteBuffer batch(long baseOffset, int records) {
    RecordBatchBuilder b = new RecordBatchBuilder().baseOffset(baseOffset);
    for (int i = 0; i < records; i++) {
      b.append(i, null, new byte[] {(byte) i});
    }
    return b.build();
  }

  static ByteBuffer concat(ByteBuffer... parts) {
    int n = 0;
    for (ByteBuffer p : parts) {
      n += p.remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(n);
    for (ByteBuffer p : parts) {
      all.put(p.duplicate());
    }
    return all.flip();
  }

  @Test
  void fetchResponseWithACutLastBatchYieldsOnlyWholeBatches() {
    ByteBuffer a = batch(0, 3);
    ByteBuffer b = batch(3, 5);
    ByteBuffer all = concat(a, b);
    ByteBuffer cut = all.duplicate().limit(all.limit() - 7);
    RecordBatches batches = RecordBatches.of(cut);
    assertThat(batches.batchCount()).isEqualTo(1);
    assertThat(batches.completeBytes()).isEqualTo(a.remaining());
    assertThat(batches.hasPartialTrailingBatch()).isTrue();
    assertThat(batches.iterator().next().baseOffset()).isZero();
    assertThatThrownBy(batches::requireComplete).isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("partial");
    RecordBatches whole = RecordBatches.of(all);
    assertThat(whole.hasPartialTrailingBatch()).isFalse();
    whole.requireComplete();
    assertThat(whole).extracting(RecordBatch::baseOffset).containsExactly(0L, 3L);
  }

  @Test
  void respectsTheBuffersPositionAndNeverMovesIt() {
    ByteBuffer all = concat(ByteBuffer.allocate(10), batch(0, 1));
    all.position(10);
    RecordBatches batches = RecordBatches.of(all);
    assertThat(batches.batchCount()).isEqualTo(1);
    assertThat(all.position()).isEqualTo(10);
    RecordBatch only = batches.iterator().next();
    assertThat(only.start()).isEqualTo(10);
    only.validate(all.limit());
  }

  @Test
  void aLengthBelowTheMinimumIsCorruptionNotAPartialBatch() {
    ByteBuffer bad = batch(0, 1);
    bad.putInt(RecordBatch.LENGTH_OFFSET, 10);
    assertThatThrownBy(() -> RecordBatches.of(bad).batchCount())
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("minimum");
    bad.putInt(RecordBatch.LENGTH_OFFSET, -1);
    assertThatThrownBy(() -> RecordBatches.of(bad).iterator().hasNext())
        .isInstanceOf(InvalidRecordException.class);
  }

  @Test
  void aHugeLengthIsPartialWithoutOverflow() {
    ByteBuffer big = batch(0, 1);
    big.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);
    RecordBatches batches = RecordBatches.of(big);
    assertThat(batches.hasPartialTrailingBatch()).isTrue();
    assertThat(batches.batchCount()).isZero();
  }

  @Test
  void oldMagicIsRefused() {
    ByteBuffer old = batch(0, 1);
    old.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
    assertThatThrownBy(() -> RecordBatches.of(old).batchCount())
        .isInstanceOf(InvalidRecordException.class).hasMessageContaining("magic");
  }

  @Test
  void emptyBufferHasNoBatchesAndNothingPartial() {
    RecordBatches none = RecordBatches.of(ByteBuffer.allocate(0));
    assertThat(none.batchCount()).isZero();
    assertThat(none.hasPartialTrailingBatch()).isFalse();
    none.requireComplete();
  }
}
