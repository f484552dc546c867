package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.TestRecords.BatchSpec;
import io.rill.protocol.record.TestRecords.Hdr;
import io.rill.protocol.record.TestRecords.Rec;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;

/**
 * Build, then read back, random batches in every codec: our reader returns exactly the records
 * appended (null vs empty kept apart, unicode header keys intact), the deep validator accepts
 * the batch, and Kafka's reader agrees with ours.
 */
class RecordBatchRoundTripProperties {
  @Provide
  Arbitrary<byte[]> nullableBytes() {
    Arbitrary<byte[]> some = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    return Arbitraries.oneOf(some, Arbitraries.just(new byte[0]), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<Rec> records() {
    Arbitrary<Long> ts = Arbitraries.longs().between(0, 4_000_000_000_000L);
    // Any Unicode except lone surrogates (not encodable as UTF-8, by Kafka or us), plus a
    // supplementary character as a proper pair.
    Arbitrary<String> keys = Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
            .ofMaxLength(12),
        Arbitraries.just("emoji-\uD83D\uDE00"));
    Arbitrary<Hdr> header = Combinators.combine(keys, nullableBytes()).as(Hdr::new);
    return Combinators.combine(ts, nullableBytes(), nullableBytes(),
        header.list().ofMaxSize(3)).as(Rec::new);
  }

  @Property(tries = 200)
  void whatWeBuildWeReadBack(@ForAll("recordLists") List<Rec> recs,
      @ForAll CompressionType codec) {
    ByteBuffer buf = TestRecords.ourWrite(BatchSpec.plain(codec), recs);
    RecordBatch batch = RecordBatch.at(buf, 0);
    batch.validate(buf.limit());
    assertThat(TestRecords.ourRead(batch)).isEqualTo(recs);
    assertThat(batch.maxTimestamp())
        .isEqualTo(recs.stream().mapToLong(Rec::timestamp).max().orElseThrow());
    RecordBatchValidator validator = new RecordBatchValidator();
    validator.validate(batch, buf.limit(), RecordBatchValidator.Source.PRODUCER);
    assertThat(validator.recordCount()).isEqualTo(recs.size());
    assertThat(validator.maxTimestamp()).isEqualTo(batch.maxTimestamp());

    MutableRecordBatch theirs = MemoryRecords.readableRecords(buf.duplicate()).batches()
        .iterator().next();
    theirs.ensureValid();
    assertThat(TestRecords.kafkaRead(theirs)).isEqualTo(recs);
  }

  @Provide
  Arbitrary<List<Rec>> recordLists() {
    return records().list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 100)
  void concatenatedBatchesIterateInOrder(@ForAll @Size(min = 1, max = 6) List<CompressionType> codecs) {
    List<Rec> recs = List.of(new Rec(5, null, new byte[] {1}, List.of()));
    int total = 0;
    ByteBuffer[] parts = new ByteBuffer[codecs.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = TestRecords.ourWrite(new BatchSpec(codecs.get(i), i * 10L, -1, (short) -1, -1,
          false, -1, -1), recs);
      total += parts[i].remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(total);
    for (ByteBuffer p : parts) {
      all.put(p);
    }
    all.flip();
    RecordBatches batches = RecordBatches.of(all);
    assertThat(batches.hasPartialTrailingBatch()).isFalse();
    assertThat(batches.batchCount()).isEqualTo(parts.length);
    long expected = 0;
    for (RecordBatch b : batches) {
      assertThat(b.baseOffset()).isEqualTo(expected);
      assertThat(b.compression()).isEqualTo(codecs.get((int) (expected / 10)));
      expected += 10;
    }
  }
}
