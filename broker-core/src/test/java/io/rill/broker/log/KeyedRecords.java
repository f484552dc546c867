package io.rill.broker.log;

import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.record.RecordIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keyed records for compaction tests: building batches of them and reading a log back. */
final class KeyedRecords {
  private KeyedRecords() {}

  /** One record: a key and a value, null for a tombstone. */
  record KeyValue(String key, String value) {
    boolean tombstone() {
      return value == null;
    }
  }

  /** A record read back from a log, with its offset. */
  record Stored(long offset, String key, String value) {}

  /** A batch of {@code records} (no producer id), timestamps all {@code timestampMs}. */
  static ByteBuffer batch(List<KeyValue> records, long timestampMs) {
    return batch(records, timestampMs, RecordBatch.NO_PRODUCER_ID, (short) -1, -1);
  }

  /** As {@link #batch(List, long)}, from an idempotent producer. */
  static ByteBuffer batch(List<KeyValue> records, long timestampMs, long producerId,
      short epoch, int baseSequence) {
    RecordBatchBuilder builder = new RecordBatchBuilder().producer(producerId, epoch,
        baseSequence);
    for (KeyValue kv : records) {
      builder.append(timestampMs, bytes(kv.key()), bytes(kv.value()));
    }
    return builder.build();
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Every batch of the log from its start to its end, in order, each CRC-checked. */
  static List<ByteBuffer> batches(PartitionLog log) throws IOException {
    List<ByteBuffer> out = new ArrayList<>();
    long offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
      ByteBuffer bytes = TestBatches.bytes(log.read(offset, 1 << 20, Long.MAX_VALUE, true)
          .records());
      if (!bytes.hasRemaining()) {
        break;
      }
      RecordBatch batch = RecordBatch.at(bytes, 0);
      for (int p = 0; p < bytes.limit(); p += batch.sizeInBytes()) {
        batch.moveTo(bytes, p);
        batch.validate(bytes.limit());
        out.add(bytes.duplicate().position(p).limit(p + batch.sizeInBytes()).slice());
        offset = batch.nextOffset();
      }
    }
    return out;
  }

  /** Every record of the log, in offset order. */
  static List<Stored> read(PartitionLog log) throws IOException {
    List<Stored> out = new ArrayList<>();
    for (ByteBuffer bytes : batches(log)) {
      try (RecordIterator records = RecordBatch.at(bytes, 0).records()) {
        while (records.hasNext()) {
          Record r = records.next();
          out.add(new Stored(r.offset(), string(r.key()), string(r.value())));
        }
      }
    }
    return out;
  }
}
