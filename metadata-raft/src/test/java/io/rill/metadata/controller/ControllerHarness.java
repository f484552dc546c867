package io.rill.metadata.controller;

import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives the pure controller the way the state machine does: execute at the next offset,
 * replay the records, keep the image. No Raft, no threads. Keeps every command's records so
 * tests can replay the history another way.
 */
final class ControllerHarness {
  MetadataImage image = MetadataImage.EMPTY;
  long offset = 0;
  final List<List<MetadataRecord>> history = new ArrayList<>();
  List<MetadataRecord> lastRecords = List.of();

  ControllerResponse run(ControllerCommand command) {
    offset++;
    ControllerResult<ControllerResponse> r = MetadataController.execute(image, command, offset);
    ImageBuilder b = image.toBuilder();
    b.replayAll(r.records());
    image = b.build(offset);
    lastRecords = r.records();
    history.add(r.records());
    return r.response();
  }
}
