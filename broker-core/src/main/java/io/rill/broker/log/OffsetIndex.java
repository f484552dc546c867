package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment, Kafka's {@code .index} format:
 *
 * <pre>
 * Entry =>
 *   RelativeOffset  int32   last offset of the indexed batch minus the segment's base offset
 *   Position        int32   byte position of that batch in the segment's .log file
 * </pre>
 *
 * <p>One entry is added for the first batch appended after more than {@code
 * index.interval.bytes} of log since the previous entry (Kafka's rule), so a lookup is a binary
 * search then a forward scan of at most about one interval. Entry i's batch ends at offset
 * {@code base + relativeOffset}; Kafka's DumpLogSegments checks exactly that.
 *
 * <p>Invariants: relative offsets and positions strictly increase. Threads: see {@link
 * MappedIndex}.
 */
final class OffsetIndex extends MappedIndex {
  static final int RELATIVE_OFFSET_OFFSET = 0;
  static final int RELATIVE_OFFSET_LENGTH = 4;
  static final int POSITION_OFFSET = RELATIVE_OFFSET_OFFSET + RELATIVE_OFFSET_LENGTH;
  static final int POSITION_LENGTH = 4;
  static final int ENTRY_SIZE = POSITION_OFFSET + POSITION_LENGTH;

  OffsetIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
    super(file, baseOffset, maxIndexBytes, ENTRY_SIZE);
  }

  /** Adds an entry for the batch ending at {@code lastOffset} that starts at {@code position}. */
  void append(long lastOffset, int position) {
    int relative = relativeOffset(lastOffset);
    int n = entries();
    if (n > 0) {
      Checks.state(relative > relativeOffsetAt(n - 1) && position > positionAt(n - 1),
          "index %s entry (%s, %s) does not follow (%s, %s)", file(), lastOffset, position,
          baseOffset + relativeOffsetAt(n - 1), positionAt(n - 1));
    }
    int slot = nextSlotPosition();
    MappedByteBuffer buf = mapping();
    buf.putInt(slot + RELATIVE_OFFSET_OFFSET, relative);
    buf.putInt(slot + POSITION_OFFSET, position);
    publish();
  }

  int relativeOffset(long offset) {
    long relative = offset - baseOffset;
    Checks.state(relative >= 0 && relative <= Integer.MAX_VALUE,
        "offset %s does not fit index %s with base %s", offset, file(), baseOffset);
    return (int) relative;
  }

  int relativeOffsetAt(int i) {
    return mapping().getInt(i * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET);
  }

  int positionAt(int i) {
    return mapping().getInt(i * ENTRY_SIZE + POSITION_OFFSET);
  }

  @Override
  long offsetAt(int i) {
    return baseOffset + relativeOffsetAt(i);
  }

  /**
   * The position of the indexed batch with the largest last offset at or below {@code offset},
   * or 0 (the segment start) when there is none: every batch holding an offset at or above
   * {@code offset} starts at or after it.
   */
  int lookup(long offset) {
    int slot = floorSlot(offset, entries());
    return slot < 0 ? 0 : positionAt(slot);
  }

  /** The last slot below {@code n} whose offset is at or below {@code offset}, or -1. */
  int floorSlot(long offset, int n) {
    MappedByteBuffer buf = mapping();
    long relative = offset - baseOffset;
    int lo = 0;
    int hi = n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (buf.getInt(mid * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET) <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The largest indexed batch position at or below {@code position}, or 0. */
  int floorPosition(int position) {
    int n = entries();
    MappedByteBuffer buf = mapping();
    int lo = 0;
    int hi = n - 1;
    int found = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int p = buf.getInt(mid * ENTRY_SIZE + POSITION_OFFSET);
      if (p <= position) {
        found = p;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Whether the entries are plausible for a log of {@code logBytes}: strictly increasing,
   * inside the log. Cheap (a pass over the mapping); a failure means rebuild.
   */
  String sanityProblem(long logBytes) {
    int n = entries();
    int prevRelative = -1;
    int prevPosition = -1;
    for (int i = 0; i < n; i++) {
      int relative = relativeOffsetAt(i);
      int position = positionAt(i);
      if (relative <= prevRelative || position <= prevPosition || position >= logBytes) {
        return "entry " + i + " (" + relative + ", " + position + ") after (" + prevRelative
            + ", " + prevPosition + ") in a log of " + logBytes + " bytes";
      }
      prevRelative = relative;
      prevPosition = position;
    }
    return null;
  }
}
