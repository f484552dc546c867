package io.rill.metadata.raft;

import io.rill.metadata.command.OffsetRecords;
import io.rill.metadata.record.MetadataRecord;
import io.rill.protocol.util.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records that apply derived from the last commands, by Raft index, so that a broker
 * following the metadata from afar gets only what is new (KRaft's observers fetch the log; the
 * Raft log here holds commands, so a voter serves the records it derived from them instead).
 *
 * <p>Invariant: the entries cover exactly the indexes in {@code (baseOffset, lastOffset]} at
 * which commands were applied, in order; replaying them onto the image at {@code baseOffset}
 * gives the image at {@code lastOffset}. A fetch from before {@code baseOffset} must take the
 * whole image instead. Bounded by {@link #ENTRIES_MAX}: the oldest entries fall off.
 *
 * <p>Not thread-safe: the state machine guards it with the lock that guards its image, so the
 * two always agree.
 */
final class MetadataJournal {
  /** Commands kept; a broker further behind than this reloads the whole image. */
  static final int ENTRIES_MAX = 10_000;
  /** Entries handed out per fetch, so one response stays small; the broker fetches again. */
  static final int ENTRIES_PER_FETCH_MAX = 1_000;

  private final ArrayDeque<OffsetRecords> entries = new ArrayDeque<>();
  private long baseOffset = -1;

  /** Forgets every entry: the image now stands at {@code imageOffset} (a snapshot was loaded). */
  void reset(long imageOffset) {
    entries.clear();
    baseOffset = imageOffset;
  }

  void append(long offset, List<MetadataRecord> records) {
    Checks.state(offset > lastOffset(), "journal offset %s after %s", offset, lastOffset());
    entries.addLast(OffsetRecords.newBuilder().setOffset(offset).addAllRecords(records).build());
    while (entries.size() > ENTRIES_MAX) {
      baseOffset = entries.removeFirst().getOffset();
    }
  }

  long lastOffset() {
    return entries.isEmpty() ? baseOffset : entries.getLast().getOffset();
  }

  /**
   * The entries after {@code fromOffset} (at most {@link #ENTRIES_PER_FETCH_MAX}), or empty when
   * the journal no longer reaches back that far (or {@code fromOffset} is ahead of it).
   */
  Optional<List<OffsetRecords>> since(long fromOffset) {
    if (fromOffset < baseOffset || fromOffset > lastOffset()) {
      return Optional.empty();
    }
    List<OffsetRecords> out = new ArrayList<>();
    for (OffsetRecords e : entries) {
      if (e.getOffset() > fromOffset) {
        out.add(e);
        if (out.size() == ENTRIES_PER_FETCH_MAX) {
          break;
        }
      }
    }
    return Optional.of(out);
  }
}
