package io.rill.broker.replica;

import io.rill.protocol.Errors;

/**
 * The answer for one partition of a produce request: the error (NONE on success), the base
 * offset, LogAppendTime (-1 under CreateTime), the log start offset, a message for errors, and
 * the offset of the last record appended (-1 on error), which an acks=all produce waits for the
 * high watermark to pass.
 */
public record ProduceOutcome(Errors error, long baseOffset, long logAppendTimeMs,
    long logStartOffset, String message, long lastOffset) {

  public static ProduceOutcome error(Errors error, String message) {
    return new ProduceOutcome(error, -1L, -1L, -1L, message, -1L);
  }
}
