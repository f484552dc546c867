package io.rill.broker.log;

import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment of a partition log: a {@code .log} file of whole record batches whose offsets all
 * lie in [baseOffset, baseOffset + 2^31), with its sparse {@link OffsetIndex} and {@link
 * TimeIndex}. Data goes to the OS page cache through a {@link FileChannel}; nothing is cached
 * in the heap.
 *
 * <p>Invariants: batches are contiguous from position 0 to {@link #sizeInBytes}; base offsets
 * increase; every index entry names a batch of this file; {@code nextOffset} is one past the
 * last batch's last offset ({@code baseOffset} when empty).
 *
 * <p>Threads: only the partition's writer calls mutators (append, truncate, recover, roll,
 * close). Readers call {@link #translateOffset}, {@link #lastWholeBatchEnd} and {@link
 * #channel} with a size bound taken from the partition's snapshot; positional reads of a
 * FileChannel are thread-safe.
 */
final class LogSegment {
  private final long baseOffset;
  private final FileChannel channel;
  private final OffsetIndex offsetIndex;
  private final TimeIndex timeIndex;
  private final int indexIntervalBytes;
  /** What the index may hold under the config: a tail scan past a missing entry means rebuild. */
  private final int offsetIndexEntriesMax;
  /** Writer-owned; changes when the segment is renamed for deletion. */
  private Path logFile;
  /** Bytes of whole batches; the file is never longer once the writer returns. */
  private volatile int sizeBytes;
  private long nextOffset;
  private int bytesSinceLastIndexEntry;
  /** Largest batch max-timestamp in the segment and the last offset of its batch; -1 if none. */
  private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private long offsetOfMaxTimestamp = -1L;
  /** Max timestamp of the first batch, what {@code segment.ms} is measured from (as Kafka). */
  private long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
  private final long createdMs;

  private LogSegment(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
    this(dir, baseOffset, config, nowMs, "");
  }

  /** The segment whose three files carry {@code suffix} after their usual names. */
  private LogSegment(Path dir, long baseOffset, LogConfig config, long nowMs, String suffix)
      throws IOException {
    this.baseOffset = baseOffset;
    this.logFile = LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), suffix);
    this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    this.offsetIndex = new OffsetIndex(
        LogFiles.withSuffix(LogFiles.indexFile(dir, baseOffset), suffix), baseOffset,
        config.segmentIndexBytes());
    this.timeIndex = new TimeIndex(
        LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), suffix), baseOffset,
        config.segmentIndexBytes());
    this.indexIntervalBytes = config.indexIntervalBytes();
    this.offsetIndexEntriesMax = config.offsetIndexEntriesMax();
    this.nextOffset = baseOffset;
    this.createdMs = nowMs;
  }

  /**
   * A segment with fresh (empty) indexes: {@code empty} also empties the log file (a new
   * segment); otherwise the log file is kept for {@link #recover} to scan.
   */
  static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs,
      boolean empty) throws IOException {
    Files.deleteIfExists(LogFiles.indexFile(dir, baseOffset));
    Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
    LogSegment segment = new LogSegment(dir, baseOffset, config, nowMs);
    if (empty) {
      segment.channel.truncate(0);
    }
    segment.sizeBytes = (int) Math.min(segment.channel.size(), Integer.MAX_VALUE);
    return segment;
  }

  /**
   * An empty segment for the cleaner to write, its files named {@code <base>.log.cleaned} (and
   * the indexes likewise), replacing any such files a crashed cleaning left.
   */
  static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, long nowMs)
      throws IOException {
    String suffix = LogFiles.CLEANED_SUFFIX;
    Files.deleteIfExists(LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), suffix));
    Files.deleteIfExists(LogFiles.withSuffix(LogFiles.indexFile(dir, baseOffset), suffix));
    Files.deleteIfExists(LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), suffix));
    LogSegment segment = new LogSegment(dir, baseOffset, config, nowMs, suffix);
    segment.sizeBytes = 0;
    return segment;
  }

  /**
   * Renames the three files from {@code <name><from>} to {@code <name><to>}, the indexes first
   * and the log last: the log file's name is what recovery goes by, so when it is renamed the
   * indexes are already in place (an index left behind is rebuilt). Open channels and mappings
   * stay valid.
   */
  void renameSuffix(String from, String to, PartitionLog.SwapSteps steps) throws IOException {
    steps.before("rename of " + offsetIndex.file().getFileName() + " to " + to);
    offsetIndex.renameTo(LogFiles.withSuffix(LogFiles.withoutSuffix(offsetIndex.file(), from), to));
    steps.before("rename of " + timeIndex.file().getFileName() + " to " + to);
    timeIndex.renameTo(LogFiles.withSuffix(LogFiles.withoutSuffix(timeIndex.file(), from), to));
    steps.before("rename of " + logFile.getFileName() + " to " + to);
    Path target = LogFiles.withSuffix(LogFiles.withoutSuffix(logFile, from), to);
    Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
    logFile = target;
  }

  /**
   * Opens an existing segment trusting its data (a clean stop, or below the recovery point):
   * finds its end by scanning headers from the last index entry. Rebuilds the indexes, by a
   * full {@link #recover}, when either is missing or fails its sanity check.
   */
  static LogSegment open(Path dir, long baseOffset, LogConfig config, long nowMs,
      SegmentRecovery.EpochSink epochs) throws IOException {
    boolean indexesPresent = Files.exists(LogFiles.indexFile(dir, baseOffset))
        && Files.exists(LogFiles.timeIndexFile(dir, baseOffset));
    LogSegment segment = new LogSegment(dir, baseOffset, config, nowMs);
    segment.sizeBytes = (int) Math.min(segment.channel.size(), Integer.MAX_VALUE);
    String problem = indexesPresent ? segment.loadTail() : "index file missing";
    if (problem != null) {
      SegmentRecovery.LOG.warn("Rebuilding indexes of {}: {}", segment.logFile, problem);
      segment.recover(config, Long.MAX_VALUE, epochs);
    }
    return segment;
  }

  /** Reads the tail after the last index entry; returns a problem that calls for a rebuild. */
  private String loadTail() throws IOException {
    String problem = offsetIndex.sanityProblem(sizeBytes);
    if (problem != null) {
      return "offset index: " + problem;
    }
    int n = offsetIndex.entries();
    int position = n == 0 ? 0 : offsetIndex.positionAt(n - 1);
    BatchHeader header = new BatchHeader();
    if (n > 0 && (!header.load(channel, position, sizeBytes)
        || header.lastOffset() != offsetIndex.offsetAt(n - 1))) {
      return "last offset index entry does not name a batch";
    }
    int lastIndexed = position;
    bytesSinceLastIndexEntry = sizeBytes - position;
    long next = baseOffset;
    while (position < sizeBytes) {
      if (!header.load(channel, position, sizeBytes) || header.baseOffset() < next) {
        return "batch structure broken at position " + position;
      }
      if (position - lastIndexed > indexIntervalBytes && n < offsetIndexEntriesMax) {
        return "no index entry for the batch at position " + position + " (index lost entries)";
      }
      next = header.lastOffset() + 1;
      if (header.batch().recordCount() > 0) {
        observeTimestamp(header.maxTimestamp(), header.lastOffset());
      }
      position = header.end();
    }
    nextOffset = next;
    problem = timeIndex.sanityProblem(nextOffset);
    if (problem != null) {
      return "time index: " + problem;
    }
    if (timeIndex.entries() > 0 && timeIndex.lastTimestamp() > maxTimestamp) {
      maxTimestamp = timeIndex.lastTimestamp();
      offsetOfMaxTimestamp = timeIndex.offsetAt(timeIndex.entries() - 1);
    }
    if (sizeBytes > 0 && header.load(channel, 0, sizeBytes)) {
      firstBatchTimestamp = header.maxTimestamp();
    }
    return null;
  }

  /**
   * Validates every batch from the start, rebuilds both indexes and truncates the file at the
   * first bad byte. Batches must end below {@code offsetLimit} (the next segment's base).
   *
   * @return the number of bytes truncated
   */
  int recover(LogConfig config, long offsetLimit, SegmentRecovery.EpochSink epochs)
      throws IOException {
    offsetIndex.reset();
    timeIndex.reset();
    offsetIndex.resize(config.segmentIndexBytes());
    timeIndex.resize(config.segmentIndexBytes());
    maxTimestamp = RecordBatch.NO_TIMESTAMP;
    offsetOfMaxTimestamp = -1L;
    firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
    bytesSinceLastIndexEntry = 0;
    long fileBytes = channel.size();
    SegmentRecovery.Result result = SegmentRecovery.scan(channel, logFile, baseOffset,
        (int) Math.min(fileBytes, Integer.MAX_VALUE), offsetLimit,
        (batch, position) -> {
          onBatchAppended(batch, position);
          epochs.accept(batch.partitionLeaderEpoch(), batch.baseOffset());
        });
    sizeBytes = result.validBytes();
    nextOffset = result.nextOffset();
    if (fileBytes > result.validBytes()) {
      channel.truncate(result.validBytes());
    }
    return (int) (fileBytes - result.validBytes());
  }

  /** Index and timestamp bookkeeping for a batch just written at {@code position}. */
  private void onBatchAppended(RecordBatch batch, int position) {
    long lastOffset = batch.lastOffset();
    if (firstBatchTimestamp == RecordBatch.NO_TIMESTAMP && position == 0) {
      firstBatchTimestamp = batch.maxTimestamp();
    }
    if (batch.recordCount() > 0) {
      // An empty batch (kept by the cleaner) has no record that could carry the timestamp a
      // time-index entry promises; Kafka's DumpLogSegments checks that promise.
      observeTimestamp(batch.maxTimestamp(), lastOffset);
    }
    if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull()) {
      offsetIndex.append(lastOffset, position);
      timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
      bytesSinceLastIndexEntry = 0;
    }
    bytesSinceLastIndexEntry += batch.sizeInBytes();
    nextOffset = lastOffset + 1;
  }

  private void observeTimestamp(long timestamp, long lastOffset) {
    if (timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
      offsetOfMaxTimestamp = lastOffset;
    }
  }

  /**
   * Appends {@code batches} (whole, validated, offsets assigned, all fitting this segment) at the
   * end of the file and indexes them.
   */
  void append(ByteBuffer batches) throws IOException {
    int start = batches.position();
    int limit = batches.limit();
    int filePosition = sizeBytes;
    Checks.state((long) filePosition + (limit - start) <= Integer.MAX_VALUE,
        "segment %s would exceed 2 GiB", logFile);
    ByteBuffer write = batches.duplicate();
    long position = filePosition;
    while (write.hasRemaining()) {
      position += channel.write(write, position);
    }
    RecordBatch batch = RecordBatch.at(batches, start);
    for (int p = start; p < limit; p += batch.sizeInBytes()) {
      batch.moveTo(batches, p);
      Checks.state(batch.baseOffset() >= nextOffset, "batch offset %s below next offset %s in %s",
          batch.baseOffset(), nextOffset, logFile);
      onBatchAppended(batch, filePosition + (p - start));
    }
    sizeBytes = filePosition + (limit - start);
  }

  /**
   * The position of the first batch whose last offset is at or above {@code offset}, scanning
   * no further than {@code sizeLimit}; -1 when no batch below the limit reaches it. On success
   * {@code header} holds that batch's header.
   *
   * <p>The floor index entry's batch ends at or below {@code offset}. When it ends below, the
   * next entry's batch is tried first: if it starts at or below {@code offset} it is the answer
   * (every earlier batch ends before its base), which makes a lookup one header read whenever
   * batches are at least {@code index.interval.bytes} apart. Otherwise scan forward.
   */
  int translateOffset(long offset, int sizeLimit, BatchHeader header) throws IOException {
    int n = offsetIndex.entries();
    int slot = offsetIndex.floorSlot(offset, n);
    int position = slot < 0 ? 0 : offsetIndex.positionAt(slot);
    if (slot + 1 < n && (slot < 0 || offsetIndex.offsetAt(slot) < offset)) {
      int next = offsetIndex.positionAt(slot + 1);
      if (header.load(channel, next, sizeLimit) && header.baseOffset() <= offset) {
        return next;
      }
    }
    while (position < sizeLimit && header.load(channel, position, sizeLimit)) {
      if (header.lastOffset() >= offset) {
        return position;
      }
      position = header.end();
    }
    return -1;
  }

  /**
   * The end of the last whole batch that starts at or after {@code from} and ends at or before
   * {@code byteLimit}; {@code from} itself when the first batch is larger.
   */
  int lastWholeBatchEnd(int from, int byteLimit, BatchHeader header) throws IOException {
    int position = Math.max(from, offsetIndex.floorPosition(byteLimit));
    while (position < byteLimit && header.load(channel, position, byteLimit)) {
      position = header.end();
    }
    return position;
  }

  /** Removes every batch whose last offset is at or above {@code offset}; returns bytes cut. */
  int truncateTo(long offset) throws IOException {
    BatchHeader header = new BatchHeader();
    int position = translateOffset(offset, sizeBytes, header);
    if (position < 0) {
      return 0;
    }
    int cut = sizeBytes - position;
    offsetIndex.truncateToOffset(offset);
    timeIndex.truncateToOffset(offset);
    channel.truncate(position);
    sizeBytes = position;
    maxTimestamp = RecordBatch.NO_TIMESTAMP;
    offsetOfMaxTimestamp = -1L;
    firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
    String problem = loadTail();
    Checks.state(problem == null, "segment %s inconsistent after truncation to %s: %s", logFile,
        offset, problem);
    return cut;
  }

  /** Prepares the segment for appends: indexes sized for {@code segment.index.bytes}. */
  void becomeActive(LogConfig config) throws IOException {
    offsetIndex.resize(config.segmentIndexBytes());
    timeIndex.resize(config.segmentIndexBytes());
  }

  /** On roll: a final time-index entry for the segment's max timestamp, then trimmed indexes. */
  void becomeInactive() throws IOException {
    if (maxTimestamp != RecordBatch.NO_TIMESTAMP) {
      timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
    }
    offsetIndex.trimToValidSize();
    timeIndex.trimToValidSize();
  }

  /** Whether appending {@code bytes} in {@code batchCount} batches ending at {@code lastOffset} must go to a new segment. */
  boolean shouldRoll(LogConfig config, int bytes, int batchCount, long lastOffset,
      long incomingMaxTimestamp, long nowMs) {
    if (sizeBytes == 0) {
      return false;
    }
    boolean full = (long) sizeBytes + bytes > config.segmentBytes();
    boolean indexFull = offsetIndex.entries() + batchCount > offsetIndex.entriesMax()
        || timeIndex.entries() + batchCount + 1 > timeIndex.entriesMax();
    boolean overflow = lastOffset - baseOffset > Integer.MAX_VALUE;
    long waitedMs = firstBatchTimestamp >= 0 && incomingMaxTimestamp >= 0
        ? incomingMaxTimestamp - firstBatchTimestamp
        : nowMs - createdMs;
    return full || indexFull || overflow || waitedMs > config.rollMs();
  }

  void flush() throws IOException {
    channel.force(true);
    offsetIndex.flush();
    timeIndex.flush();
  }

  /** Renames the three files to {@code .deleted}; open channels and mappings stay usable. */
  void renameForDeletion() throws IOException {
    Path target = LogFiles.deletedName(logFile);
    Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
    logFile = target;
    offsetIndex.renameTo(LogFiles.deletedName(offsetIndex.file()));
    timeIndex.renameTo(LogFiles.deletedName(timeIndex.file()));
  }

  /** Closes the channel and deletes the files (whatever their current names). */
  void closeAndDelete() throws IOException {
    channel.close();
    Files.deleteIfExists(logFile);
    offsetIndex.deleteFile();
    timeIndex.deleteFile();
  }

  /** Trims the indexes (so a clean start trusts them) and closes the file. */
  void close() throws IOException {
    offsetIndex.trimToValidSize();
    timeIndex.trimToValidSize();
    channel.close();
  }

  long baseOffset() {
    return baseOffset;
  }

  long nextOffset() {
    return nextOffset;
  }

  int sizeInBytes() {
    return sizeBytes;
  }

  FileChannel channel() {
    return channel;
  }

  Path logFile() {
    return logFile;
  }

  OffsetIndex offsetIndex() {
    return offsetIndex;
  }

  TimeIndex timeIndex() {
    return timeIndex;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  /** Max timestamp of the first batch, -1 when empty: how old the segment's oldest data is. */
  long firstBatchTimestamp() {
    return firstBatchTimestamp;
  }

  long offsetOfMaxTimestamp() {
    return offsetOfMaxTimestamp;
  }

  /** What retention compares with retention.ms: the max timestamp, else the file's mtime. */
  long largestTimestamp() throws IOException {
    if (maxTimestamp > 0) {
      return maxTimestamp;
    }
    return Files.getLastModifiedTime(logFile).toMillis();
  }

  @Override
  public String toString() {
    return "LogSegment(" + logFile + ", base=" + baseOffset + ", next=" + nextOffset + ", size="
        + sizeBytes + ")";
  }
}
