package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.Header;
import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.record.RecordIterator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The rule: what {@link BatchCompactor} keeps of a batch is what the compaction rules, applied
 * record by record to the fully decoded batch, keep — for every codec, with null keys,
 * tombstones, headers, batches larger than one stage of the offset map, and delete horizons
 * set, unset and passed. Kept records come back byte-for-byte (key, value, headers, offset,
 * timestamp) in a batch of the same codec with a valid CRC.
 */
class BatchCompactorProperties {
  static final long NOW_MS = 1_800_000_000_000L;
  static final long DELETE_RETENTION_MS = 86_400_000L;

  /** A record in the model: what a reader sees. */
  record Seen(long offset, long timestamp, String key, String value, List<String> headers) {}

  @Property(tries = 300)
  void keepsWhatTheRulesKeep(@ForAll long seed, @ForAll CompressionType codec,
      @ForAll @IntRange(min = 1, max = 300) int count) {
    System.out.println("BatchCompactorProperties seed=" + seed);
    Random random = new Random(seed);
    long baseOffset = random.nextInt(10_000);
    int keySpace = 1 + random.nextInt(count);
    long horizonMs = switch (random.nextInt(3)) {
      case 0 -> RecordBatch.NO_TIMESTAMP;
      case 1 -> NOW_MS - 1; // passed
      default -> NOW_MS + 1_000; // not yet
    };
    RecordBatchBuilder builder = new RecordBatchBuilder().compression(codec)
        .baseOffset(baseOffset).maxBatchBytes(64 << 20);
    if (horizonMs != RecordBatch.NO_TIMESTAMP) {
      builder.deleteHorizonMs(horizonMs);
    }
    for (int i = 0; i < count; i++) {
      String key = random.nextInt(8) == 0 ? null : "key-" + random.nextInt(keySpace);
      byte[] value = random.nextInt(4) == 0 ? null : new byte[random.nextInt(50)];
      if (value != null) {
        random.nextBytes(value);
      }
      List<Header> headers = new ArrayList<>();
      for (int h = random.nextInt(3); h > 0; h--) {
        headers.add(Header.of("h" + h, random.nextBoolean() ? null : new byte[] {(byte) h}));
      }
      builder.append(NOW_MS - random.nextInt(100_000),
          key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)),
          value == null ? null : ByteBuffer.wrap(value), headers);
    }
    ByteBuffer bytes = builder.build();
    RecordBatch batch = RecordBatch.at(bytes, 0);
    List<Seen> all = read(batch);

    // The map: some keys' latest offset later than this batch, some in it, some absent.
    OffsetMap map = new OffsetMap(OffsetMap.bytesFor(keySpace + 1));
    Map<String, Long> latest = new HashMap<>();
    for (Seen r : all) {
      if (r.key() != null && random.nextInt(5) != 0) {
        latest.put(r.key(), r.offset());
      }
    }
    latest.replaceAll((k, v) -> random.nextInt(4) == 0 ? v + count + random.nextInt(9) : v);
    latest.forEach((k, v) -> map.put(ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8)), v));
    long mapEnd = baseOffset + random.nextInt(count + 1);
    boolean producerNeedsIt = random.nextBoolean();

    boolean horizonPassed = horizonMs != RecordBatch.NO_TIMESTAMP && horizonMs <= NOW_MS;
    List<Seen> expected = new ArrayList<>();
    boolean tombstoneKept = false;
    for (Seen r : all) {
      if (r.key() == null || latest.getOrDefault(r.key(), -1L) > r.offset()) {
        continue;
      }
      if (r.value() == null) {
        if (horizonPassed) {
          continue;
        }
        tombstoneKept |= r.offset() < mapEnd;
      }
      expected.add(r);
    }

    BatchCompactor compactor = new BatchCompactor();
    ByteBuffer kept = compactor.compact(batch, map, mapEnd, NOW_MS, DELETE_RETENTION_MS,
        producerNeedsIt);
    assertThat(compactor.recordsSeen()).isEqualTo(count);
    assertThat(compactor.recordsKept()).isEqualTo(expected.size());
    if (expected.isEmpty() && !producerNeedsIt) {
      assertThat(kept).isNull();
      return;
    }
    RecordBatch out = RecordBatch.at(kept, kept.position());
    out.validate(kept.limit());
    assertThat(out.compression()).isEqualTo(codec);
    assertThat(out.baseOffset()).isEqualTo(baseOffset);
    assertThat(out.lastOffset()).isEqualTo(batch.lastOffset());
    assertThat(read(out)).isEqualTo(expected);
    boolean needsHorizon = tombstoneKept && horizonMs == RecordBatch.NO_TIMESTAMP;
    if (needsHorizon) {
      assertThat(out.deleteHorizonMs()).isEqualTo(NOW_MS + DELETE_RETENTION_MS);
    } else if (expected.size() == count) {
      assertThat(kept).isEqualTo(bytes.duplicate()); // kept as it was
    }
  }

  private static List<Seen> read(RecordBatch batch) {
    List<Seen> out = new ArrayList<>();
    try (RecordIterator records = batch.records()) {
      while (records.hasNext()) {
        Record r = records.next();
        List<String> headers = r.headers().stream()
            .map(h -> h.key() + "=" + text(h.value())).toList();
        out.add(new Seen(r.offset(), r.timestamp(), text(r.key()), text(r.value()), headers));
      }
    }
    return out;
  }

  private static String text(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
