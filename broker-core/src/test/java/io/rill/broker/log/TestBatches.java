package io.rill.broker.log;

import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.types.Varints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds uncompressed magic-2 record batches for tests (the real batch builder lives elsewhere):
 * real records with varint framing, so Kafka's DumpLogSegments can deep-iterate them, and a
 * CRC-32C over attributes .. end. Also decodes the batches of a read back into a summary.
 */
final class TestBatches {
  private TestBatches() {}

  /** A batch seen in a read: its offsets, timestamp and a checksum of its records. */
  record Seen(long baseOffset, long lastOffset, long maxTimestamp, int epoch, long crc) {}

  /**
   * A batch of {@code records} records, each value {@code valueBytes} long, timestamps
   * {@code timestamp}, {@code timestamp+1}, ...; base offset 0, no producer id.
   */
  static ByteBuffer batch(int records, int valueBytes, long timestamp, long seed) {
    return batch(records, valueBytes, timestamp, seed, false);
  }

  /** As {@link #batch(int, int, long, long)}; {@code keyed}: record i has key "k&lt;i&gt;". */
  static ByteBuffer batch(int records, int valueBytes, long timestamp, long seed,
      boolean keyed) {
    List<byte[]> encoded = new ArrayList<>();
    int recordsBytes = 0;
    for (int i = 0; i < records; i++) {
      byte[] value = new byte[valueBytes];
      long x = seed * 31 + i;
      for (int j = 0; j < valueBytes; j++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
        value[j] = (byte) (x >>> 56);
      }
      byte[] record = record(i, i, keyed ? ("k" + i).getBytes(StandardCharsets.UTF_8) : null,
          value);
      encoded.add(record);
      recordsBytes += record.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD + recordsBytes);
    buf.putLong(0L);
    buf.putInt(buf.capacity() - RecordBatch.LOG_OVERHEAD);
    buf.putInt(RecordBatch.NO_PARTITION_LEADER_EPOCH);
    buf.put(RecordBatch.MAGIC_V2);
    buf.putInt(0); // CRC, below
    buf.putShort((short) 0);
    buf.putInt(records - 1);
    buf.putLong(timestamp);
    buf.putLong(timestamp + records - 1);
    buf.putLong(RecordBatch.NO_PRODUCER_ID);
    buf.putShort(RecordBatch.NO_PRODUCER_EPOCH);
    buf.putInt(RecordBatch.NO_SEQUENCE);
    buf.putInt(records);
    for (byte[] record : encoded) {
      buf.put(record);
    }
    buf.flip();
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
    buf.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    return buf;
  }

  private static byte[] record(int offsetDelta, long timestampDelta, byte[] key, byte[] value) {
    ByteBuffer body = ByteBuffer.allocate(32 + (key == null ? 0 : key.length) + value.length);
    body.put((byte) 0);
    Varints.writeVarlong(timestampDelta, body);
    Varints.writeVarint(offsetDelta, body);
    if (key == null) {
      Varints.writeVarint(-1, body);
    } else {
      Varints.writeVarint(key.length, body);
      body.put(key);
    }
    Varints.writeVarint(value.length, body);
    body.put(value);
    Varints.writeVarint(0, body); // no headers
    body.flip();
    ByteBuffer out = ByteBuffer.allocate(Varints.sizeOfVarint(body.remaining()) + body.remaining());
    Varints.writeVarint(body.remaining(), out);
    out.put(body);
    return out.array();
  }

  /** Several batches back to back in one buffer. */
  static ByteBuffer concat(List<ByteBuffer> batches) {
    int total = batches.stream().mapToInt(ByteBuffer::remaining).sum();
    ByteBuffer out = ByteBuffer.allocate(total);
    batches.forEach(b -> out.put(b.duplicate()));
    return out.flip();
  }

  /** Reads the region's bytes. */
  static ByteBuffer bytes(FileRegion region) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(region.length());
    while (buf.hasRemaining()) {
      int n = region.channel().read(buf, region.position() + buf.position());
      if (n < 0) {
        throw new IOException("region " + region + " runs past the end of its file");
      }
    }
    return buf.flip();
  }

  /** Decodes the region into whole, CRC-valid batches; fails on anything else. */
  static List<Seen> decode(FileRegion region) throws IOException {
    ByteBuffer buf = bytes(region);
    List<Seen> seen = new ArrayList<>();
    RecordBatch batch = RecordBatch.at(buf, 0);
    for (int p = 0; p < buf.limit(); p += batch.sizeInBytes()) {
      batch.moveTo(buf, p);
      batch.validate(buf.limit());
      seen.add(new Seen(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(),
          batch.partitionLeaderEpoch(), batch.checksum()));
    }
    return seen;
  }
}
