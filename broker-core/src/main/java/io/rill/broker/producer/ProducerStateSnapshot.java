package io.rill.broker.producer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a partition's idempotent-producer state at a log end offset, written at a clean
 * shutdown so the next start need not replay every batch header of the log (Rill's own format,
 * not Kafka's {@code .snapshot}).
 *
 * <pre>
 * magic int32 "RPS1" | version int16 (1) | endOffset int64 | producers int32
 *   producers × (producerId int64 | epoch int16 | lastTimestampMs int64 | batches int32
 *     batches × (firstSeq int32 | lastSeq int32 | firstOffset int64 | lastOffset int64
 *                | timestampMs int64))
 * | crc32c int32 of everything before it
 * </pre>
 */
final class ProducerStateSnapshot {
  private static final int MAGIC = 0x52505331;
  private static final short VERSION = 1;
  private static final int HEADER_BYTES = 4 + 2 + 8 + 4;
  private static final int PRODUCER_BYTES = 8 + 2 + 8 + 4;
  private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

  private ProducerStateSnapshot() {}

  static ByteBuffer encode(long endOffset, Map<Long, ProducerEntry> producers) {
    int size = HEADER_BYTES + 4;
    for (ProducerEntry entry : producers.values()) {
      size += PRODUCER_BYTES + entry.batches().size() * BATCH_BYTES;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(MAGIC).putShort(VERSION).putLong(endOffset).putInt(producers.size());
    producers.forEach((producerId, entry) -> {
      List<BatchMetadata> batches = entry.batches();
      out.putLong(producerId).putShort(entry.epoch).putLong(entry.lastTimestampMs)
          .putInt(batches.size());
      for (BatchMetadata b : batches) {
        out.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset())
            .putLong(b.lastOffset()).putLong(b.timestampMs());
      }
    });
    out.putInt(crc(out.array(), out.position()));
    return out.flip();
  }

  /**
   * The producers of a snapshot taken at {@code expectedEndOffset}.
   *
   * @throws IllegalArgumentException naming why the bytes are not such a snapshot (corrupt,
   *     truncated, another version, another end offset)
   */
  static Map<Long, ProducerEntry> decode(ByteBuffer bytes, long expectedEndOffset) {
    ByteBuffer in = bytes.slice();
    if (in.remaining() < HEADER_BYTES + 4) {
      throw new IllegalArgumentException("only " + in.remaining() + " bytes");
    }
    byte[] all = new byte[in.remaining()];
    in.duplicate().get(all);
    int stored = in.getInt(all.length - 4);
    if (stored != crc(all, all.length - 4)) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    if (in.getInt() != MAGIC || in.getShort() != VERSION) {
      throw new IllegalArgumentException("not a version-" + VERSION + " producer snapshot");
    }
    long endOffset = in.getLong();
    if (endOffset != expectedEndOffset) {
      throw new IllegalArgumentException("taken at offset " + endOffset + ", the log ends at "
          + expectedEndOffset);
    }
    try {
      int count = in.getInt();
      Map<Long, ProducerEntry> producers = new HashMap<>();
      for (int i = 0; i < count; i++) {
        long producerId = in.getLong();
        short epoch = in.getShort();
        long lastTimestampMs = in.getLong();
        int batchCount = in.getInt();
        if (batchCount < 0 || batchCount > ProducerEntry.MAX_BATCHES) {
          throw new IllegalArgumentException(batchCount + " batches for producer " + producerId);
        }
        List<BatchMetadata> batches = new ArrayList<>(batchCount);
        for (int b = 0; b < batchCount; b++) {
          batches.add(new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong(),
              in.getLong()));
        }
        producers.put(producerId, new ProducerEntry(epoch, lastTimestampMs, batches));
      }
      if (in.remaining() != 4) {
        throw new IllegalArgumentException(in.remaining() - 4 + " bytes after the producers");
      }
      return producers;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated", e);
    }
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
