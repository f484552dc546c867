package io.rill.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.producer.ProducerStateManager.Verdict;
import io.rill.protocol.Errors;
import io.rill.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProducerStateManagerTest {
  private final ProducerStateManager state = new ProducerStateManager();
  private long nextOffset;

  /** A batch header of {@code count} records; the manager reads nothing past the header. */
  static RecordBatch header(long pid, int epoch, int baseSeq, int count) {
    ByteBuffer b = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD);
    b.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.RECORD_BATCH_OVERHEAD - RecordBatch.LOG_OVERHEAD);
    b.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2);
    b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, count - 1);
    b.putLong(RecordBatch.PRODUCER_ID_OFFSET, pid);
    b.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) epoch);
    b.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSeq);
    b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, count);
    return RecordBatch.at(b, 0);
  }

  private Verdict append(RecordBatch batch) {
    Verdict v = state.check(batch);
    if (v instanceof Verdict.Append) {
      state.record(batch, nextOffset, 0L);
      nextOffset += batch.lastOffsetDelta() + 1;
    }
    return v;
  }

  @Test
  void inSequenceBatchesAreAppendedAndARetryGetsItsOriginalOffsets() {
    assertThat(append(header(7, 0, 0, 3))).isInstanceOf(Verdict.Append.class);
    assertThat(append(header(7, 0, 3, 2))).isInstanceOf(Verdict.Append.class);
    Verdict retry = append(header(7, 0, 0, 3));
    assertThat(retry).isInstanceOf(Verdict.Duplicate.class);
    assertThat(((Verdict.Duplicate) retry).original().firstOffset()).isEqualTo(0L);
    assertThat(((Verdict.Duplicate) retry).original().lastOffset()).isEqualTo(2L);
    assertThat(nextOffset).isEqualTo(5);
  }

  @Test
  void aGapIsOutOfOrder() {
    append(header(7, 0, 0, 3));
    Verdict gap = append(header(7, 0, 5, 1));
    assertThat(gap).isInstanceOfSatisfying(Verdict.Reject.class,
        r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
  }

  @Test
  void aProducerWithNoStateHereIsAcceptedAtWhateverSequenceItCarries() {
    // Its state expired, retention deleted its batches, or this replica never saw them: Kafka
    // accepts; OUT_OF_ORDER_SEQUENCE_NUMBER would be fatal to librdkafka.
    assertThat(append(header(9, 0, 4, 1))).isInstanceOf(Verdict.Append.class);
    assertThat(append(header(9, 0, 5, 1))).isInstanceOf(Verdict.Append.class);
    assertThat(append(header(9, 0, 7, 1))).isInstanceOfSatisfying(Verdict.Reject.class,
        r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
  }

  @Test
  void anOlderEpochIsFencedAndANewerEpochRestartsAtZero() {
    append(header(7, 2, 0, 1));
    assertThat(append(header(7, 1, 1, 1))).isInstanceOfSatisfying(Verdict.Reject.class,
        r -> assertThat(r.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
    assertThat(append(header(7, 3, 5, 1))).isInstanceOf(Verdict.Reject.class);
    assertThat(append(header(7, 3, 0, 1))).isInstanceOf(Verdict.Append.class);
    assertThat(state.batchesOf(7)).hasSize(1);
  }

  @Test
  void onlyTheLastFiveBatchesAreRemembered() {
    for (int i = 0; i < 7; i++) {
      append(header(7, 0, i, 1));
    }
    assertThat(state.batchesOf(7)).hasSize(ProducerEntry.MAX_BATCHES);
    assertThat(append(header(7, 0, 1, 1))).isInstanceOf(Verdict.Reject.class);
    assertThat(append(header(7, 0, 6, 1))).isInstanceOf(Verdict.Duplicate.class);
  }

  @Test
  void sequencesWrapAfterIntMax() {
    assertThat(ProducerStateManager.inSequence(Integer.MAX_VALUE, 0)).isTrue();
    assertThat(header(1, 0, Integer.MAX_VALUE - 1, 3).lastSequence()).isEqualTo(0);
  }

  @Test
  void nonIdempotentBatchesAreAlwaysAppended() {
    assertThat(append(header(RecordBatch.NO_PRODUCER_ID, -1, -1, 4))).isInstanceOf(Verdict.Append.class);
    assertThat(state.producerCount()).isZero();
  }
}
