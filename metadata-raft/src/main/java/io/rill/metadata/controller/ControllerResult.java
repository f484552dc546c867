package io.rill.metadata.controller;

import io.rill.metadata.record.MetadataRecord;
import java.util.List;

/**
 * What a controller command decided: the records to replay (empty when it changes nothing or
 * failed validation) and the response for whoever sent it. The response describes the state
 * after the records are replayed, so it may be sent only once they are committed (KIP-631).
 */
public record ControllerResult<R>(List<MetadataRecord> records, R response) {
  public ControllerResult {
    records = List.copyOf(records);
    if (response == null) {
      throw new IllegalArgumentException("null response");
    }
  }

  public static <R> ControllerResult<R> of(List<MetadataRecord> records, R response) {
    return new ControllerResult<>(records, response);
  }

  public static <R> ControllerResult<R> noRecords(R response) {
    return new ControllerResult<>(List.of(), response);
  }
}
