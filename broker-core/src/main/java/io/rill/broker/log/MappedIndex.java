package io.rill.broker.log;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A memory-mapped file of fixed-size entries sorted by offset, the shared machinery of {@link
 * OffsetIndex} and {@link TimeIndex}. As in Kafka, the file of the active segment is
 * preallocated to {@code segment.index.bytes} (sparse) and trimmed to its entries when the
 * segment rolls or closes, so that on a clean start {@code entries = file length / entry size}.
 * After an unclean stop the untrimmed tail is zeros; the owning segment's sanity check rejects
 * such a file and rebuilds it from the log.
 *
 * <p>Threads: one writer (the partition's writer) appends, truncates, resizes; any number of
 * readers search concurrently. A reader reads {@link #entries} (volatile) first, then the
 * mapping (volatile): the writer fills an entry before publishing the larger count, and a
 * resize keeps every published entry inside the new mapping, so readers never see a torn entry.
 */
abstract class MappedIndex {
  protected final long baseOffset;
  private final int entrySize;
  /** Writer-owned: changes when the segment is renamed for deletion. */
  private Path file;
  /** Replaced, never mutated in size, by {@link #resize}. */
  private volatile MappedByteBuffer mmap;
  /** Published entry count; entries [0, entries) are complete. */
  private volatile int entries;

  protected MappedIndex(Path file, long baseOffset, int maxIndexBytes, int entrySize)
      throws IOException {
    this.file = file;
    this.baseOffset = baseOffset;
    this.entrySize = entrySize;
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long length;
      if (fresh) {
        length = roundDown(maxIndexBytes);
        raf.setLength(length);
      } else {
        length = roundDown(raf.length());
      }
      this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
      this.entries = fresh ? 0 : entriesBeforeZeroTail((int) (length / entrySize));
    }
  }

  /**
   * The entry count of an existing file: all of it when trimmed (a clean stop), else up to the
   * zero-filled preallocated tail an unclean stop leaves. An all-zero slot is never a real entry
   * (Kafka never indexes the batch at position 0, and timestamps strictly increase).
   */
  private int entriesBeforeZeroTail(int slots) {
    int n = slots;
    while (n > 0 && isZeroSlot(n - 1)) {
      n--;
    }
    return n;
  }

  private boolean isZeroSlot(int slot) {
    int start = slot * entrySize;
    for (int i = 0; i < entrySize; i++) {
      if (mmap.get(start + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private int roundDown(long bytes) {
    return (int) (Math.min(bytes, Integer.MAX_VALUE) / entrySize * entrySize);
  }

  final int entries() {
    return entries;
  }

  final int entriesMax() {
    return mmap.capacity() / entrySize;
  }

  final boolean isFull() {
    return entries >= entriesMax();
  }

  final Path file() {
    return file;
  }

  /** The mapping to read; take {@link #entries()} first. */
  protected final MappedByteBuffer mapping() {
    return mmap;
  }

  protected final int entrySize() {
    return entrySize;
  }

  /** Reserves the next slot; the caller fills it then calls {@link #publish}. */
  protected final int nextSlotPosition() {
    Checks.state(!isFull(), "index %s is full at %s entries", file, entries);
    return entries * entrySize;
  }

  protected final void publish() {
    entries = entries + 1;
  }

  /** Drops entries [n, entries); the bytes are zeroed so a crash cannot resurrect them. */
  /** The absolute offset entry {@code i} points at. */
  abstract long offsetAt(int i);

  /** Drops every entry whose offset is at or after {@code offset}. */
  final void truncateToOffset(long offset) {
    int n = entries();
    int keep = 0;
    while (keep < n && offsetAt(keep) < offset) {
      keep++;
    }
    truncateEntries(keep);
  }

  protected final void truncateEntries(int n) {
    Checks.state(n >= 0 && n <= entries, "truncate %s to %s of %s entries", file, n, entries);
    MappedByteBuffer buf = mmap;
    for (int pos = n * entrySize; pos < entries * entrySize; pos++) {
      buf.put(pos, (byte) 0);
    }
    entries = n;
  }

  /** Removes every entry; the file keeps its size. */
  final void reset() {
    truncateEntries(entries);
    truncateEntries(0);
  }

  /**
   * Changes the file length to {@code bytes} (rounded down to whole entries, never below the
   * published entries) and remaps it. Used to preallocate the active segment's index and to trim
   * an index when its segment becomes inactive or closes.
   */
  final void resize(int bytes) throws IOException {
    int length = Math.max(roundDown(bytes), entries * entrySize);
    if (length == mmap.capacity()) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(length);
      mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
    }
  }

  /** Trims the file to its published entries, as Kafka leaves an inactive segment's index. */
  final void trimToValidSize() throws IOException {
    resize(entries * entrySize);
  }

  final void flush() {
    mmap.force();
  }

  /** Renames the file (e.g. to {@code .deleted}); the mapping stays valid. */
  final void renameTo(Path target) throws IOException {
    if (Files.exists(file)) {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }
    file = target;
  }

  final void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  /** The mapped bytes become unreachable once the index is; the JVM unmaps them on GC. */
  final long sizeInBytes() {
    return (long) entries * entrySize;
  }
}
