package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The log agrees with an in-memory model (a list of batches with their offsets) under random
 * sequences of append / read / truncate / roll / delete-before / restart (clean and unclean).
 */
class PartitionLogProperties {
  static final TopicPartition TP = new TopicPartition("model", 0);
  static final long T0 = 1_700_000_000_000L;

  /** The model: batches in offset order, and the log start offset. */
  record ModelBatch(long baseOffset, long lastOffset, long crc) {}

  @Property(tries = 60)
  void logAgreesWithTheModel(@ForAll long seed, @ForAll @IntRange(min = 5, max = 60) int steps)
      throws Exception {
    Random random = new Random(seed);
    System.out.println("PartitionLogProperties seed=" + seed + " steps=" + steps);
    Path logDir = Files.createTempDirectory("rill-model");
    MockTime time = new MockTime(T0);
    ManualScheduler scheduler = new ManualScheduler(time);
    LogConfig config = LogConfig.of(Map.of(
        LogConfig.SEGMENT_BYTES, Integer.toString(1200 + random.nextInt(3000)),
        LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(random.nextInt(400)),
        LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(12 + random.nextInt(200)),
        LogConfig.FILE_DELETE_DELAY_MS, "0"));
    LogDirFailures failures = new LogDirFailures();
    PartitionLog log = PartitionLog.open(logDir, TP, config, 0, 0, true, time, scheduler, failures);
    List<ModelBatch> model = new ArrayList<>();
    long logStart = 0;
    long logEnd = 0;
    try {
      for (int step = 0; step < steps; step++) {
        int op = random.nextInt(100);
        if (op < 50) {
          ByteBuffer batch = TestBatches.batch(1 + random.nextInt(5), random.nextInt(200),
              time.milliseconds(), random.nextLong());
          var result = log.appendAsLeader(batch, 1);
          assertThat(result.firstOffset()).isEqualTo(logEnd);
          model.add(new ModelBatch(result.firstOffset(), result.lastOffset(),
              io.rill.protocol.record.RecordBatch.at(batch, 0).checksum()));
          logEnd = result.lastOffset() + 1;
        } else if (op < 60) {
          log.roll();
        } else if (op < 68 && logEnd > 0) {
          long target = logStart + (long) (random.nextDouble() * (logEnd - logStart + 1));
          log.truncateTo(target);
          model.removeIf(b -> b.lastOffset() >= target);
          // A batch straddling the target goes whole; an emptied log restarts at its start.
          logEnd = model.isEmpty() ? logStart : model.get(model.size() - 1).lastOffset() + 1;
        } else if (op < 76 && logEnd > logStart) {
          long target = logStart + (long) (random.nextDouble() * (logEnd - logStart + 1));
          logStart = Math.max(logStart, target);
          assertThat(log.deleteRecordsBefore(target)).isEqualTo(logStart);
          long start = logStart;
          model.removeIf(b -> b.lastOffset() < start);
        } else if (op < 88) {
          boolean clean = random.nextBoolean();
          if (clean) {
            log.close();
          } else {
            log.flush(); // an unclean stop after fsync: recovery must keep everything
          }
          long recoveryPoint = clean ? log.logEndOffset() : random.nextInt((int) logEnd + 1);
          log = PartitionLog.open(logDir, TP, config, recoveryPoint, logStart, clean, time,
              scheduler, failures);
        } else {
          time.sleep(1);
          scheduler.runDue();
        }
        checkAgainstModel(log, model, logStart, logEnd, random);
      }
    } finally {
      log.close();
      LogManager.deleteRecursively(logDir);
    }
  }

  private static void checkAgainstModel(PartitionLog log, List<ModelBatch> model, long logStart,
      long logEnd, Random random) throws Exception {
    assertThat(log.logEndOffset()).isEqualTo(logEnd);
    assertThat(log.logStartOffset()).isEqualTo(logStart);
    List<TestBatches.Seen> all =
        TestBatches.decode(log.read(logStart, Integer.MAX_VALUE, Long.MAX_VALUE, true).records());
    // One read returns one segment's batches; follow segments like a consumer.
    List<TestBatches.Seen> seen = new ArrayList<>(all);
    while (!seen.isEmpty() && seen.get(seen.size() - 1).lastOffset() + 1 < logEnd) {
      long next = seen.get(seen.size() - 1).lastOffset() + 1;
      List<TestBatches.Seen> more =
          TestBatches.decode(log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE, true).records());
      assertThat(more).as("read at %s", next).isNotEmpty();
      seen.addAll(more);
    }
    assertThat(seen).extracting(s -> new ModelBatch(s.baseOffset(), s.lastOffset(), s.crc()))
        .isEqualTo(model);
    if (logEnd > logStart) {
      long offset = logStart + (long) (random.nextDouble() * (logEnd - logStart));
      List<TestBatches.Seen> one =
          TestBatches.decode(log.read(offset, 1, Long.MAX_VALUE, true).records());
      assertThat(one).hasSize(1);
      assertThat(one.get(0).baseOffset()).isLessThanOrEqualTo(Math.max(offset, logStart));
      assertThat(one.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
    }
  }
}
