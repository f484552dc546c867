package io.rill.broker.replica;

import io.rill.broker.log.FileRegion;
import io.rill.protocol.Errors;

/**
 * What a fetch got from one partition: an error, or a region of whole batches (possibly empty)
 * with the watermarks a fetch response reports. With no transactions, the last stable offset
 * equals the high watermark.
 */
public record PartitionRead(Errors error, FileRegion records, long highWatermark,
    long logStartOffset, String message) {

  public static PartitionRead error(Errors error, String message) {
    return new PartitionRead(error, null, -1L, -1L, message);
  }

  public int sizeInBytes() {
    return records == null ? 0 : records.length();
  }
}
