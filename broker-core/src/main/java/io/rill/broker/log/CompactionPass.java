package io.rill.broker.log;

import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordScanner;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One cleaning of one log (Kafka's {@code Cleaner.doClean}), run by a cleaner thread without the
 * log's lock:
 *
 * <ol>
 *   <li>Builds the {@link OffsetMap} of the dirty section, batch by batch, until the map is full
 *       or the section ends: {@code mapEnd} is where it stopped. A dirty section with more keys
 *       than fit is thus cleaned over several passes.
 *   <li>Finds the last batch of each idempotent producer below {@code mapEnd} (batch headers
 *       only).
 *   <li>Groups the segments holding offsets below {@code mapEnd} into runs that fit one segment
 *       (size, index entries, 2^31 offsets), and rewrites each run into one {@code .cleaned}
 *       segment through {@link BatchCompactor}, rebuilding its indexes as it appends; then fsyncs
 *       it and has the log swap it in ({@link PartitionLog#replaceSegments}).
 *   <li>Records {@code mapEnd} as the log's cleaned offset (the checkpoint).
 * </ol>
 *
 * <p>If the log was truncated or lost a segment meanwhile, the swap refuses and the pass stops,
 * deleting its cleaned file: nothing is lost, the next pass starts over. Runs are swapped in
 * offset order, so after a crash the log is a prefix of new runs followed by old ones; every
 * key's latest record is in either.
 *
 * <p>Confined to one cleaner thread; the map and compactor are that thread's.
 */
final class CompactionPass {
  /** Cleaned bytes buffered before a write to the cleaned segment. */
  static final int WRITE_BUFFER_BYTES = 1 << 20;
  /** Reports the CPU time of a pass: on a shared machine, wall time says little. */
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What a pass did. */
  record Stats(long bytesRead, long bytesWritten, long recordsRead, long recordsKept,
      int segmentsReplaced, int segmentsWritten, long mapEnd, int mapKeys, long elapsedNs,
      long cpuNs, boolean completed) {}

  private final OffsetMap map;
  private final BatchCompactor compactor = new BatchCompactor();
  private final RecordScanner scanner = new RecordScanner();
  /** The offsets of the keys staged in the map, by stage index. */
  private final long[] stagedOffsets = new long[OffsetMap.STAGE_MAX];
  private final CleanerThrottler throttler;
  private final Time time;
  private final long producerIdExpirationMs;
  private final BooleanSupplier stopRequested;
  private ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
  private long bytesRead;
  private long bytesWritten;
  private long recordsRead;
  private long recordsKept;

  /** Thrown between two batches when the broker shuts down: the pass leaves nothing behind. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("the cleaner is shutting down", null, false, false);
    }
  }

  CompactionPass(OffsetMap map, CleanerThrottler throttler, Time time,
      long producerIdExpirationMs, BooleanSupplier stopRequested) {
    this.map = map;
    this.throttler = throttler;
    this.time = time;
    this.producerIdExpirationMs = producerIdExpirationMs;
    this.stopRequested = stopRequested;
  }

  /** Cleans {@code log} over {@code range}; see the class comment. */
  Stats clean(PartitionLog log, CleanableRange range) throws IOException {
    long startNs = time.nanoseconds();
    long startCpuNs = THREADS.getCurrentThreadCpuTime();
    bytesRead = bytesWritten = recordsRead = recordsKept = 0;
    PartitionLog.CleanerView view = range.view();
    long nowMs = time.milliseconds();
    Map<Long, Long> producerLastOffsets = new HashMap<>();
    long mapEnd = buildOffsetMap(log, range, producerLastOffsets);
    if (mapEnd <= range.firstDirtyOffset()) {
      // The first dirty batch straddles the high watermark: nothing to do until it moves.
      return new Stats(bytesRead, 0, 0, 0, 0, 0, mapEnd, 0, time.nanoseconds() - startNs,
          THREADS.getCurrentThreadCpuTime() - startCpuNs, false);
    }
    collectProducers(view, range.firstDirtyOffset(), producerLastOffsets);
    List<LogSegment> toClean = new ArrayList<>();
    for (LogSegment segment : view.inactive()) {
      if (segment.nextOffset() > view.logStartOffset() && segment.baseOffset() < mapEnd) {
        toClean.add(segment);
      }
    }
    int written = 0;
    int replaced = 0;
    boolean completed = true;
    for (List<LogSegment> group : group(toClean, view.config())) {
      LogSegment cleaned = cleanInto(log, group, view.config(), producerLastOffsets, mapEnd,
          nowMs);
      if (!log.replaceSegments(group, cleaned, view.truncations())) {
        cleaned.closeAndDelete();
        completed = false;
        break;
      }
      written++;
      replaced += group.size();
    }
    if (completed) {
      completed = log.advanceCleanedOffset(mapEnd, view.truncations());
    }
    return new Stats(bytesRead, bytesWritten, recordsRead, recordsKept, replaced, written, mapEnd,
        map.size(), time.nanoseconds() - startNs,
        THREADS.getCurrentThreadCpuTime() - startCpuNs, completed);
  }

  /**
   * Maps every keyed record of the dirty section to its latest offset, stopping before a batch
   * that does not fit or reaches past the section; returns where it stopped.
   */
  private long buildOffsetMap(PartitionLog log, CleanableRange range,
      Map<Long, Long> producerLastOffsets) throws IOException {
    map.clear();
    long firstDirty = range.firstDirtyOffset();
    long[] mapEnd = {firstDirty};
    boolean[] stopped = {false};
    for (LogSegment segment : range.view().inactive()) {
      if (segment.nextOffset() <= firstDirty) {
        continue;
      }
      if (segment.baseOffset() >= range.firstUncleanableOffset() || stopped[0]) {
        break;
      }
      readSegment(segment, (batch, position) -> {
        if (batch.lastOffset() < firstDirty) {
          return true;
        }
        if (batch.lastOffset() >= range.firstUncleanableOffset()) {
          // Straddles the high watermark: neither it nor anything after is mapped.
          mapEnd[0] = Math.min(Math.max(mapEnd[0], batch.baseOffset()),
              range.firstUncleanableOffset());
          stopped[0] = true;
          return false;
        }
        if (!map.hasRoomFor(batch.recordCount())) {
          Checks.state(mapEnd[0] > firstDirty, "the dedupe buffer of %s keys cannot hold the %s"
              + " records of one batch at offset %s of %s", map.maxEntries(),
              batch.recordCount(), batch.baseOffset(), log.partition());
          stopped[0] = true;
          return false;
        }
        if (!batch.isControl()) {
          mapRecords(batch, firstDirty);
        }
        if (batch.hasProducerId()) {
          producerLastOffsets.merge(batch.producerId(), batch.lastOffset(), Math::max);
        }
        mapEnd[0] = batch.nextOffset();
        return true;
      });
    }
    return stopped[0] ? mapEnd[0] : Math.max(mapEnd[0], range.firstUncleanableOffset());
  }

  /**
   * Puts each keyed record of {@code batch} at or above {@code firstDirty} in the map: scanned
   * without decoding values or headers, its key staged and put in groups (see {@link
   * OffsetMap#stage}).
   */
  private void mapRecords(RecordBatch batch, long firstDirty) {
    RecordScanner records = scanner.reset(batch);
    try {
      while (records.next()) {
        if (records.hasKey() && records.offset() >= firstDirty) {
          stagedOffsets[map.staged()] = records.offset();
          map.stage(records.buffer(), records.keyPosition(), records.keyLength());
          if (map.stageFull()) {
            map.putStaged(stagedOffsets);
          }
        }
      }
      map.putStaged(stagedOffsets);
    } finally {
      records.close();
    }
  }

  /** The last batch of each producer in the clean section (headers only). */
  private static void collectProducers(PartitionLog.CleanerView view, long firstDirty,
      Map<Long, Long> producerLastOffsets) throws IOException {
    BatchHeader header = new BatchHeader();
    for (LogSegment segment : view.inactive()) {
      if (segment.baseOffset() >= firstDirty) {
        break;
      }
      int position = 0;
      while (header.load(segment.channel(), position, segment.sizeInBytes())
          && header.lastOffset() < firstDirty) {
        RecordBatch batch = header.batch();
        if (batch.hasProducerId()) {
          producerLastOffsets.merge(batch.producerId(), batch.lastOffset(), Math::max);
        }
        position = header.end();
      }
    }
  }

  /**
   * Consecutive runs of segments that fit one segment together: their bytes within {@code
   * segment.bytes}, their index entries within the index size, their offsets within 2^31 of
   * the run's base (Kafka's {@code groupSegmentsBySize}).
   */
  static List<List<LogSegment>> group(List<LogSegment> segments, LogConfig config) {
    List<List<LogSegment>> groups = new ArrayList<>();
    int i = 0;
    while (i < segments.size()) {
      List<LogSegment> run = new ArrayList<>();
      LogSegment first = segments.get(i);
      long bytes = 0;
      long offsetEntries = 0;
      long timeEntries = 0;
      while (i < segments.size()) {
        LogSegment next = segments.get(i);
        boolean fits = run.isEmpty()
            || (bytes + next.sizeInBytes() <= config.segmentBytes()
                && offsetEntries + next.offsetIndex().entries() + 1
                    < config.offsetIndexEntriesMax()
                && timeEntries + next.timeIndex().entries() + 1 < config.timeIndexEntriesMax()
                && next.nextOffset() - 1 - first.baseOffset() <= Integer.MAX_VALUE);
        if (!fits) {
          break;
        }
        run.add(next);
        bytes += next.sizeInBytes();
        offsetEntries += next.offsetIndex().entries();
        timeEntries += next.timeIndex().entries();
        i++;
      }
      groups.add(run);
    }
    return groups;
  }

  /** Writes the survivors of {@code group} into a new {@code .cleaned} segment, fsynced. */
  private LogSegment cleanInto(PartitionLog log, List<LogSegment> group, LogConfig config,
      Map<Long, Long> producerLastOffsets, long mapEnd, long nowMs) throws IOException {
    LogSegment cleaned = LogSegment.createCleaned(log.dir(), group.get(0).baseOffset(), config,
        time.milliseconds());
    try {
      for (LogSegment segment : group) {
        readSegment(segment, (batch, position) -> {
          Long producerLast = batch.hasProducerId() ? producerLastOffsets.get(batch.producerId())
              : null;
          boolean producerNeedsIt = producerLast != null && producerLast == batch.lastOffset()
              && batch.maxTimestamp() > nowMs - producerIdExpirationMs;
          ByteBuffer kept = compactor.compact(batch, map, mapEnd, nowMs,
              config.deleteRetentionMs(), producerNeedsIt);
          recordsRead += compactor.recordsSeen();
          recordsKept += compactor.recordsKept();
          if (kept != null) {
            write(cleaned, kept);
          }
          return true;
        });
      }
      LogSegment last = group.get(group.size() - 1);
      flushWrites(cleaned);
      if (cleaned.nextOffset() <= last.baseOffset()) {
        write(cleaned, BatchCompactor.emptyMarker(last.nextOffset() - 1));
        flushWrites(cleaned);
      }
      cleaned.becomeInactive();
      cleaned.flush();
      return cleaned;
    } catch (IOException | RuntimeException e) {
      cleaned.closeAndDelete();
      throw e;
    }
  }

  private void write(LogSegment cleaned, ByteBuffer batch) throws IOException {
    if (out.position() + batch.remaining() > out.capacity()) {
      flushWrites(cleaned);
      if (batch.remaining() > out.capacity()) {
        out = ByteBuffer.allocate(batch.remaining());
      }
    }
    out.put(batch);
  }

  private void flushWrites(LogSegment cleaned) throws IOException {
    if (out.position() == 0) {
      return;
    }
    out.flip();
    int bytes = out.remaining();
    cleaned.append(out);
    bytesWritten += bytes;
    throttler.acquire(bytes);
    out.clear();
    if (out.capacity() > WRITE_BUFFER_BYTES) {
      out = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
    }
  }

  /** Reads a segment's batches in order (CRC checked); a damaged batch is an error. */
  private void readSegment(LogSegment segment, SegmentRecovery.BatchVisitor visitor)
      throws IOException {
    int size = segment.sizeInBytes();
    int[] end = {0};
    SegmentRecovery.Result result = SegmentRecovery.visit(segment.channel(), segment.logFile(),
        segment.baseOffset(), size, Long.MAX_VALUE, (batch, position) -> {
          if (stopRequested.getAsBoolean()) {
            throw new Stopped();
          }
          bytesRead += batch.sizeInBytes();
          throttler.acquire(batch.sizeInBytes());
          boolean more = visitor.visit(batch, position);
          end[0] = more ? position + batch.sizeInBytes() : -1;
          return more;
        });
    if (end[0] >= 0 && result.validBytes() < size) {
      throw new IllegalStateException("segment " + segment.logFile() + " is damaged at position "
          + result.validBytes() + " of " + size + ": the cleaner will not rewrite it");
    }
  }
}
