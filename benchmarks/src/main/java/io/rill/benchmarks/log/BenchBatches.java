package io.rill.benchmarks.log;

import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Builds an uncompressed magic-2 batch of a target size for the log benchmarks. */
final class BenchBatches {
  private BenchBatches() {}

  /** A batch of {@code records} records whose total size is about {@code batchBytes}. */
  static ByteBuffer batch(int batchBytes, int records, long timestamp) {
    int valueBytes = Math.max(0, (batchBytes - RecordBatch.RECORD_BATCH_OVERHEAD) / records - 12);
    ByteBuffer body = ByteBuffer.allocate(records * (valueBytes + 32));
    for (int i = 0; i < records; i++) {
      ByteBuffer record = ByteBuffer.allocate(valueBytes + 24);
      record.put((byte) 0);
      Varints.writeVarlong(i, record);
      Varints.writeVarint(i, record);
      Varints.writeVarint(-1, record);
      Varints.writeVarint(valueBytes, record);
      for (int j = 0; j < valueBytes; j++) {
        record.put((byte) (i * 31 + j));
      }
      Varints.writeVarint(0, record);
      record.flip();
      Varints.writeVarint(record.remaining(), body);
      body.put(record);
    }
    body.flip();
    ByteBuffer buf = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD + body.remaining());
    buf.putLong(0L).putInt(buf.capacity() - RecordBatch.LOG_OVERHEAD).putInt(-1)
        .put(RecordBatch.MAGIC_V2).putInt(0).putShort((short) 0).putInt(records - 1)
        .putLong(timestamp).putLong(timestamp + records - 1).putLong(-1L).putShort((short) -1)
        .putInt(-1).putInt(records).put(body);
    buf.flip();
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().position(RecordBatch.ATTRIBUTES_OFFSET));
    buf.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    return buf;
  }

  static void deleteRecursively(java.nio.file.Path root) throws java.io.IOException {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(root)) {
      for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }
}
