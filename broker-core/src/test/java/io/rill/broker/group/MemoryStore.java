package io.rill.broker.group;

import io.rill.protocol.Errors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CoordinatorStore} that keeps each write as the real record batch it would append,
 * so tests can replay it into a new coordinator exactly as a load would. {@link #failWith}
 * makes the following appends fail (a full disk, a lost leadership).
 */
final class MemoryStore implements CoordinatorStore {
  final List<ByteBuffer> batches = new ArrayList<>();
  final List<CoordinatorRecord> records = new ArrayList<>();
  private Errors failure = Errors.NONE;

  @Override
  public Errors append(List<CoordinatorRecord> written) {
    if (failure != Errors.NONE) {
      return failure;
    }
    batches.add(CoordinatorBatches.build(written, 0L));
    records.addAll(written);
    return Errors.NONE;
  }

  void failWith(Errors error) {
    failure = error;
  }

  /** Replays every stored batch into {@code target}, as loading the partition does. */
  void replayInto(GroupCoordinator target) {
    for (ByteBuffer b : batches) {
      CoordinatorBatches.forEachRecord(b.duplicate(), target::replay);
    }
    target.completeLoad();
  }
}
