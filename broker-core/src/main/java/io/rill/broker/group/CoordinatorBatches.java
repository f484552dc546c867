package io.rill.broker.group;

import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.types.Varints;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Record batches (magic 2, uncompressed, CreateTime, no producer) of coordinator records: built
 * for appends to {@code __consumer_offsets} and read back when a coordinator loads. One batch
 * per coordinator write, so a commit of many partitions lands atomically.
 *
 * <pre>
 * Record => Length VARINT (bytes after this field), Attributes INT8 (0),
 *           TimestampDelta VARLONG, OffsetDelta VARINT, KeyLength VARINT, Key,
 *           ValueLength VARINT (-1: null, a tombstone), Value, HeaderCount VARINT (0)
 * </pre>
 *
 * <p>Stateless. Reading validates each batch (CRC, lengths) before trusting it: a batch we wrote
 * that fails is corruption of our own data and stops the load loudly.
 */
final class CoordinatorBatches {
  /** Records in one coordinator write: a commit carries one record per partition. */
  static final int RECORDS_PER_BATCH_MAX = 100_000;

  private CoordinatorBatches() {}

  static ByteBuffer build(List<CoordinatorRecord> records, long timestampMs) {
    Checks.argument(!records.isEmpty() && records.size() <= RECORDS_PER_BATCH_MAX,
        "%s records in one coordinator batch", records.size());
    List<byte[]> keys = new ArrayList<>(records.size());
    List<byte[]> values = new ArrayList<>(records.size());
    int size = RecordBatch.RECORD_BATCH_OVERHEAD;
    for (int i = 0; i < records.size(); i++) {
      byte[] k = CoordinatorRecordCodec.key(records.get(i));
      byte[] v = CoordinatorRecordCodec.value(records.get(i));
      keys.add(k);
      values.add(v);
      int body = bodySize(i, k, v);
      size += Varints.sizeOfVarint(body) + body;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.putLong(0L)
        .putInt(size - RecordBatch.LOG_OVERHEAD)
        .putInt(RecordBatch.NO_PARTITION_LEADER_EPOCH)
        .put(RecordBatch.MAGIC_V2)
        .putInt(0) // CRC, filled below
        .putShort((short) 0)
        .putInt(records.size() - 1)
        .putLong(timestampMs)
        .putLong(timestampMs)
        .putLong(RecordBatch.NO_PRODUCER_ID)
        .putShort(RecordBatch.NO_PRODUCER_EPOCH)
        .putInt(RecordBatch.NO_SEQUENCE)
        .putInt(records.size());
    for (int i = 0; i < records.size(); i++) {
      byte[] k = keys.get(i);
      byte[] v = values.get(i);
      Varints.writeVarint(bodySize(i, k, v), buf);
      buf.put((byte) 0);
      Varints.writeVarlong(0L, buf);
      Varints.writeVarint(i, buf);
      Varints.writeVarint(k.length, buf);
      buf.put(k);
      if (v == null) {
        Varints.writeVarint(-1, buf);
      } else {
        Varints.writeVarint(v.length, buf);
        buf.put(v);
      }
      Varints.writeVarint(0, buf);
    }
    Checks.state(!buf.hasRemaining(), "coordinator batch sized %s, %s left", size,
        buf.remaining());
    buf.flip();
    RecordBatch batch = RecordBatch.at(buf, 0);
    buf.putInt(RecordBatch.CRC_OFFSET, (int) batch.computeChecksum());
    return buf;
  }

  private static int bodySize(int offsetDelta, byte[] key, byte[] value) {
    int valueSize = value == null ? Varints.sizeOfVarint(-1)
        : Varints.sizeOfVarint(value.length) + value.length;
    return 1 + Varints.sizeOfVarlong(0L) + Varints.sizeOfVarint(offsetDelta)
        + Varints.sizeOfVarint(key.length) + key.length + valueSize + Varints.sizeOfVarint(0);
  }

  /**
   * Replays every record of the whole batches in {@code buf} (position to limit) and returns
   * the offset after the last batch read, or {@code -1} when no whole batch was there.
   */
  static long forEachRecord(ByteBuffer buf, Consumer<CoordinatorRecord> sink) {
    int pos = buf.position();
    long next = -1;
    RecordBatch batch = RecordBatch.at(buf, pos);
    while (true) {
      int size = RecordBatch.sizeAt(buf, pos, buf.limit());
      if (size < 0 || pos + size > buf.limit()) {
        return next;
      }
      batch.moveTo(buf, pos);
      batch.validate(buf.limit());
      Checks.state(batch.compression() == CompressionType.NONE,
          "compressed coordinator batch at offset %s", batch.baseOffset());
      if (!batch.isControl()) {
        readRecords(buf, pos, batch, sink);
      }
      next = batch.nextOffset();
      pos += size;
    }
  }

  private static void readRecords(ByteBuffer buf, int start, RecordBatch batch,
      Consumer<CoordinatorRecord> sink) {
    ByteBuffer in = buf.duplicate();
    in.limit(start + batch.sizeInBytes()).position(start + RecordBatch.RECORDS_OFFSET);
    for (int i = 0; i < batch.recordCount(); i++) {
      int length = Varints.readVarint(in);
      int end = in.position() + length;
      in.get(); // attributes
      Varints.readVarlong(in);
      Varints.readVarint(in);
      ByteBuffer key = slice(in, Varints.readVarint(in));
      int valueLength = Varints.readVarint(in);
      ByteBuffer value = valueLength < 0 ? null : slice(in, valueLength);
      in.position(end); // headers, if any, are not ours to read
      Checks.state(key != null, "null key in __consumer_offsets batch at %s",
          batch.baseOffset());
      sink.accept(CoordinatorRecordCodec.decode(key, value));
    }
  }

  private static ByteBuffer slice(ByteBuffer in, int length) {
    if (length < 0) {
      return null;
    }
    Checks.state(length <= in.remaining(), "record field of %s bytes with %s left", length,
        in.remaining());
    ByteBuffer s = in.slice();
    s.limit(length);
    in.position(in.position() + length);
    return s;
  }
}
