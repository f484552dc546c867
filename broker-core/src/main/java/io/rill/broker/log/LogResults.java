package io.rill.broker.log;

/** Value types of the {@link PartitionLog} API. */
public final class LogResults {
  private LogResults() {}

  /**
   * What an append did: the offsets assigned, the LogAppendTime stamped ({@code -1} under
   * CreateTime) and the log start offset after it, as a produce response reports them.
   */
  public record AppendResult(long firstOffset, long lastOffset, long logAppendTimeMs,
      long logStartOffset) {}

  /**
   * What a read returns: a region of whole batches (empty when nothing is available) and the
   * log bounds at the time of the read.
   */
  public record ReadResult(FileRegion records, long logStartOffset, long logEndOffset) {}

  /** A ListOffsets answer: the offset found, its timestamp (or -1) and its leader epoch (or -1). */
  public record TimestampOffset(long timestamp, long offset, int leaderEpoch) {}
}
