package io.rill.broker.log;

/**
 * A read asked for an offset outside [log start offset, log end offset]: the broker answers
 * OFFSET_OUT_OF_RANGE. Carries both bounds so the reply (and a consumer's reset) can use them.
 */
public class OffsetOutOfRangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long requestedOffset;
  private final long logStartOffset;
  private final long logEndOffset;

  public OffsetOutOfRangeException(
      TopicPartition partition, long requestedOffset, long logStartOffset, long logEndOffset) {
    super(
        "offset " + requestedOffset + " of " + partition + " is outside [" + logStartOffset + ", "
            + logEndOffset + "]");
    this.requestedOffset = requestedOffset;
    this.logStartOffset = logStartOffset;
    this.logEndOffset = logEndOffset;
  }

  public long requestedOffset() {
    return requestedOffset;
  }

  public long logStartOffset() {
    return logStartOffset;
  }

  public long logEndOffset() {
    return logEndOffset;
  }
}
