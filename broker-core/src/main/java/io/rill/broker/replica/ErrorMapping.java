package io.rill.broker.replica;

import io.rill.broker.log.InvalidTimestampException;
import io.rill.broker.log.KafkaStorageException;
import io.rill.broker.log.OffsetOutOfRangeException;
import io.rill.broker.log.RecordTooLargeException;
import io.rill.broker.log.RecordWithoutKeyException;
import io.rill.protocol.Errors;
import io.rill.protocol.record.InvalidRecordException;

/**
 * Maps what the storage layer throws for one partition to the Kafka error the client acts on.
 * Anything unexpected is UNKNOWN_SERVER_ERROR for that partition only; it is the caller's job
 * to log it with context.
 */
public final class ErrorMapping {
  private ErrorMapping() {}

  public static Errors forException(RuntimeException e) {
    if (e instanceof InvalidRecordException) {
      return Errors.CORRUPT_MESSAGE;
    }
    if (e instanceof RecordWithoutKeyException) {
      return Errors.INVALID_RECORD;
    }
    if (e instanceof RecordTooLargeException) {
      return Errors.MESSAGE_TOO_LARGE;
    }
    if (e instanceof InvalidTimestampException) {
      return Errors.INVALID_TIMESTAMP;
    }
    if (e instanceof KafkaStorageException) {
      return Errors.KAFKA_STORAGE_ERROR;
    }
    if (e instanceof OffsetOutOfRangeException) {
      return Errors.OFFSET_OUT_OF_RANGE;
    }
    return Errors.UNKNOWN_SERVER_ERROR;
  }

  /** Whether the error is expected input trouble rather than a bug worth a stack trace. */
  public static boolean isExpected(Errors error) {
    return error != Errors.UNKNOWN_SERVER_ERROR;
  }
}
