package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.record.RecordBatch;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a crash, reopening keeps every whole, valid batch before the damage and nothing after
 * it, and every read still works. Damage: the newest segment cut at a random byte, a random bit
 * flipped, index files deleted, zeroed or cut. Seeds are printed; a failure names its seed.
 */
class CrashRecoveryTest {
  static final TopicPartition TP = new TopicPartition("crash", 0);
  static final long T0 = 1_700_000_000_000L;
  static final int SEEDS = 40;
  @TempDir Path root;

  /** Where a batch was written. */
  record Written(long baseOffset, long lastOffset, long crc, long segmentBase, int position,
      int size) {}

  enum Damage { CUT, FLIP, INDEXES }

  @Test
  void cutTailKeepsEveryWholeBatchBeforeTheCut() throws Exception {
    runSeeds(Damage.CUT);
  }

  @Test
  void flippedBitDropsTheDamagedBatchAndEverythingAfter() throws Exception {
    runSeeds(Damage.FLIP);
  }

  @Test
  void deletedZeroedOrCutIndexesAreRebuilt() throws Exception {
    runSeeds(Damage.INDEXES);
  }

  private void runSeeds(Damage damage) throws Exception {
    long base = new Random().nextLong();
    for (int i = 0; i < SEEDS; i++) {
      long seed = base + i;
      try {
        runOne(damage, seed, root.resolve(damage + "-" + i));
      } catch (AssertionError | Exception e) {
        throw new AssertionError("CrashRecoveryTest " + damage + " failed with seed " + seed, e);
      }
    }
  }

  private void runOne(Damage damage, long seed, Path logDir) throws Exception {
    Random random = new Random(seed);
    MockTime time = new MockTime(T0);
    ManualScheduler scheduler = new ManualScheduler(time);
    LogConfig config = LogConfig.of(Map.of(
        LogConfig.SEGMENT_BYTES, Integer.toString(2000 + random.nextInt(6000)),
        LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(random.nextInt(1000))));
    PartitionLog log = PartitionLog.open(logDir, TP, config, 0, 0, true, time, scheduler,
        new LogDirFailures());
    List<Written> written = new ArrayList<>();
    int batches = 5 + random.nextInt(40);
    for (int i = 0; i < batches; i++) {
      ByteBuffer batch = TestBatches.batch(1 + random.nextInt(4), random.nextInt(300),
          T0 + i, random.nextLong());
      int size = batch.remaining();
      var result = log.appendAsLeader(batch, 1 + i / 10);
      long segmentBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
      int position = (int) Files.size(LogFiles.logFile(log.dir(), segmentBase)) - size;
      written.add(new Written(result.firstOffset(), result.lastOffset(),
          RecordBatch.at(batch, 0).checksum(), segmentBase, position, size));
    }
    // Crash: the log object is abandoned, indexes untrimmed, nothing closed.
    Path dir = log.dir();
    long newest = written.get(written.size() - 1).segmentBase();
    Path newestLog = LogFiles.logFile(dir, newest);
    int newestSize = (int) Files.size(newestLog);
    List<Written> expected = new ArrayList<>(written);
    switch (damage) {
      case CUT -> {
        int cut = random.nextInt(newestSize + 1);
        try (RandomAccessFile file = new RandomAccessFile(newestLog.toFile(), "rw")) {
          file.setLength(cut);
        }
        expected.removeIf(w -> w.segmentBase() == newest && w.position() + w.size() > cut);
      }
      case FLIP -> {
        Written victim = written.stream().filter(w -> w.segmentBase() == newest)
            .skip(random.nextInt((int) written.stream()
                .filter(w -> w.segmentBase() == newest).count())).findFirst().orElseThrow();
        int at = victim.position() + crcCoveredOrFramingByte(random, victim.size());
        flipBit(newestLog, at, random.nextInt(8));
        expected.removeIf(w -> w.segmentBase() == newest && w.position() >= victim.position());
      }
      case INDEXES -> {
        for (long segment : log.segmentBaseOffsets()) {
          damageIndex(LogFiles.indexFile(dir, segment), random);
          damageIndex(LogFiles.timeIndexFile(dir, segment), random);
        }
      }
    }
    long recoveryPoint = damage == Damage.INDEXES ? written.get(written.size() - 1).lastOffset()
        : newest;
    PartitionLog reopened = PartitionLog.open(logDir, TP, config, recoveryPoint, 0, false, time,
        scheduler, new LogDirFailures());
    long expectedEnd = expected.isEmpty() ? 0 : expected.get(expected.size() - 1).lastOffset() + 1;
    if (expected.stream().noneMatch(w -> w.segmentBase() == newest) && newest > 0) {
      expectedEnd = Math.max(expectedEnd, newest); // the emptied newest segment stays
    }
    assertThat(reopened.logEndOffset()).isEqualTo(expectedEnd);
    List<TestBatches.Seen> seen = readAll(reopened);
    assertThat(seen).extracting(s -> List.of(s.baseOffset(), s.lastOffset(), s.crc()))
        .isEqualTo(expected.stream()
            .map(w -> List.of(w.baseOffset(), w.lastOffset(), w.crc())).toList());
    for (Written w : expected) {
      List<TestBatches.Seen> one = TestBatches.decode(
          reopened.read(w.lastOffset(), 1, Long.MAX_VALUE, true).records());
      assertThat(one.get(0).baseOffset()).isEqualTo(w.baseOffset());
    }
    var next = reopened.appendAsLeader(TestBatches.batch(1, 5, T0, 0), 9);
    assertThat(next.firstOffset()).isEqualTo(expectedEnd);
    reopened.close();
  }

  /** A byte of the batch a flip must be detected in: not BaseOffset, not the leader epoch. */
  private static int crcCoveredOrFramingByte(Random random, int size) {
    // BaseOffset (0..7) and PartitionLeaderEpoch (12..15) lie outside the CRC by design: Kafka
    // assigns them in place. Length (8..11), magic, CRC and everything after are checked.
    while (true) {
      int at = random.nextInt(size);
      if (at >= RecordBatch.LENGTH_OFFSET && at < RecordBatch.PARTITION_LEADER_EPOCH_OFFSET
          || at >= RecordBatch.MAGIC_OFFSET) {
        return at;
      }
    }
  }

  private static void flipBit(Path file, int position, int bit) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(b ^ (1 << bit));
    }
  }

  private static void damageIndex(Path index, Random random) throws Exception {
    switch (random.nextInt(4)) {
      case 0 -> Files.deleteIfExists(index);
      case 1 -> {
        long size = Files.size(index);
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
          raf.setLength(0);
          raf.setLength(size);
        }
      }
      case 2 -> {
        try (RandomAccessFile raf = new RandomAccessFile(index.toFile(), "rw")) {
          raf.setLength(random.nextInt((int) Math.min(raf.length(), 64) + 1));
        }
      }
      default -> { } // left as is
    }
  }

  static List<TestBatches.Seen> readAll(PartitionLog log) throws Exception {
    List<TestBatches.Seen> seen = new ArrayList<>();
    long offset = log.logStartOffset();
    while (offset < log.logEndOffset()) {
      List<TestBatches.Seen> more =
          TestBatches.decode(log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true).records());
      assertThat(more).as("read at %s below log end %s", offset, log.logEndOffset()).isNotEmpty();
      seen.addAll(more);
      offset = more.get(more.size() - 1).lastOffset() + 1;
    }
    return seen;
  }
}
