package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment, Kafka's {@code .timeindex} format:
 *
 * <pre>
 * Entry =>
 *   Timestamp       int64   the largest batch max-timestamp in the segment up to this entry
 *   RelativeOffset  int32   last offset of the batch holding that timestamp, minus base offset
 * </pre>
 *
 * <p>An entry is considered whenever an offset-index entry is added and when the segment
 * becomes inactive, and is written only if its timestamp exceeds the last entry's (Kafka's
 * rule), so timestamps strictly increase and offsets never decrease. A lookup finds the last
 * entry at or below a timestamp: every batch before that entry's batch has a smaller max
 * timestamp, so a forward scan from there finds the first batch reaching the target.
 *
 * <p>Threads: see {@link MappedIndex}.
 */
final class TimeIndex extends MappedIndex {
  static final int TIMESTAMP_OFFSET = 0;
  static final int TIMESTAMP_LENGTH = 8;
  static final int RELATIVE_OFFSET_OFFSET = TIMESTAMP_OFFSET + TIMESTAMP_LENGTH;
  static final int RELATIVE_OFFSET_LENGTH = 4;
  static final int ENTRY_SIZE = RELATIVE_OFFSET_OFFSET + RELATIVE_OFFSET_LENGTH;

  TimeIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
    super(file, baseOffset, maxIndexBytes, ENTRY_SIZE);
  }

  long timestampAt(int i) {
    return mapping().getLong(i * ENTRY_SIZE + TIMESTAMP_OFFSET);
  }

  @Override
  long offsetAt(int i) {
    return baseOffset + mapping().getInt(i * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET);
  }

  /** The last entry's timestamp, or -1 when empty. */
  long lastTimestamp() {
    int n = entries();
    return n == 0 ? -1L : timestampAt(n - 1);
  }

  /**
   * Adds (timestamp, offset) if the timestamp is newer than the last entry's and the index has
   * room; returns whether it did.
   */
  boolean maybeAppend(long timestamp, long offset) {
    int n = entries();
    if (timestamp <= lastTimestamp() || isFull()) {
      return false;
    }
    long relative = offset - baseOffset;
    Checks.state(relative >= 0 && relative <= Integer.MAX_VALUE,
        "offset %s does not fit time index %s", offset, file());
    Checks.state(n == 0 || offset >= offsetAt(n - 1), "time index %s offset %s before %s",
        file(), offset, n == 0 ? -1 : offsetAt(n - 1));
    int slot = nextSlotPosition();
    MappedByteBuffer buf = mapping();
    buf.putLong(slot + TIMESTAMP_OFFSET, timestamp);
    buf.putInt(slot + RELATIVE_OFFSET_OFFSET, (int) relative);
    publish();
    return true;
  }

  /**
   * The offset of the last entry whose timestamp is at or below {@code timestamp}, or the base
   * offset when there is none: where a search for the first batch reaching it may start.
   */
  long lookup(long timestamp) {
    int n = entries();
    int lo = 0;
    int hi = n - 1;
    long found = baseOffset;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (timestampAt(mid) <= timestamp) {
        found = offsetAt(mid);
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Timestamps strictly increase, offsets never decrease and lie below {@code nextOffset}. */
  String sanityProblem(long nextOffset) {
    int n = entries();
    long prevTimestamp = Long.MIN_VALUE;
    long prevOffset = baseOffset;
    for (int i = 0; i < n; i++) {
      long ts = timestampAt(i);
      long offset = offsetAt(i);
      if (ts <= prevTimestamp || offset < prevOffset || offset >= nextOffset) {
        return "entry " + i + " (" + ts + ", " + offset + ") after (" + prevTimestamp + ", "
            + prevOffset + "), next offset " + nextOffset;
      }
      prevTimestamp = ts;
      prevOffset = offset;
    }
    return null;
  }
}
