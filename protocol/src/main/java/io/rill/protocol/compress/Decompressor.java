package io.rill.protocol.compress;

import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A bounded, pull-based source of the decompressed bytes of one batch's records.
 *
 * <p>What it guarantees, whatever the input: at most {@link #maxBytes()} bytes ever come out (a
 * batch that would expand further — a zip bomb — fails with {@link InvalidRecordException} as
 * soon as it passes the limit, having produced at most one buffer more); and every failure of
 * a codec (an {@link IOException}, a native library's {@link RuntimeException}) surfaces as
 * {@link InvalidRecordException}, so the broker answers CORRUPT_MESSAGE instead of dropping the
 * request. Errors ({@link OutOfMemoryError}, {@link LinkageError} when a native library cannot
 * load) are not the client's fault and pass through.
 *
 * <p>Holds native memory for zstd: close it (try-with-resources). Not thread-safe.
 */
public final class Decompressor implements AutoCloseable {
  /** Bytes pulled from the codec at a time; small reads (a record's length) come from here. */
  static final int CHUNK_BYTES = 16 * 1024;
  /** A stream that keeps returning 0 bytes is broken; bound the retries instead of spinning. */
  static final int MAX_EMPTY_READS = 1000;

  private final CompressionType type;
  private final InputStream in;
  private final long maxBytes;
  private final byte[] chunk = new byte[CHUNK_BYTES];
  /** Invariant: chunkPos <= chunkLimit <= CHUNK_BYTES; producedBytes <= maxBytes. */
  private int chunkPos;
  private int chunkLimit;
  private long producedBytes;
  private boolean ended;
  private boolean closed;

  Decompressor(CompressionType type, InputStream in, long maxBytes) {
    this.type = type;
    this.in = in;
    this.maxBytes = maxBytes;
  }

  public CompressionType type() {
    return type;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Decompressed bytes handed out so far. */
  public long position() {
    return producedBytes - (chunkLimit - chunkPos);
  }

  /** How many more bytes may come out before the limit is hit. */
  public long remainingBudget() {
    return maxBytes - position();
  }

  /** The next byte (0..255), or -1 at the end of the data. */
  public int readByte() {
    if (chunkPos == chunkLimit && !fill()) {
      return -1;
    }
    return chunk[chunkPos++] & 0xff;
  }

  /** Reads exactly {@code len} bytes, failing if the data ends first. */
  public void readFully(byte[] dst, int off, int len) {
    while (len > 0) {
      if (chunkPos == chunkLimit) {
        // Large reads go straight from the codec to the caller, skipping the chunk copy.
        int n = len >= CHUNK_BYTES ? readDirect(dst, off, len) : (fill() ? 0 : -1);
        if (n < 0) {
          throw new InvalidRecordException(
              type.configName + " data ends " + len + " bytes short at " + position());
        }
        off += n;
        len -= n;
        continue;
      }
      int n = Math.min(len, chunkLimit - chunkPos);
      System.arraycopy(chunk, chunkPos, dst, off, n);
      chunkPos += n;
      off += n;
      len -= n;
    }
  }

  /** Reads from the codec into {@code dst} (chunk empty); -1 at the end. Counts and bounds. */
  private int readDirect(byte[] dst, int off, int len) {
    if (ended) {
      return -1;
    }
    int want = (int) Math.min(len, maxBytes - producedBytes + 1);
    int n = read(dst, off, want);
    if (n < 0) {
      ended = true;
      return -1;
    }
    checkBudget(n);
    producedBytes += n;
    return n;
  }

  /** One read from the codec: at least one byte or -1; any codec failure is corruption. */
  private int read(byte[] dst, int off, int want) {
    for (int attempt = 0; attempt < MAX_EMPTY_READS; attempt++) {
      int n;
      try {
        n = in.read(dst, off, want);
      } catch (IOException | RuntimeException e) {
        throw corrupt(type, e);
      }
      if (n != 0) {
        return n;
      }
    }
    throw new InvalidRecordException(type.configName + " stream makes no progress");
  }

  private void checkBudget(int n) {
    if (producedBytes + n > maxBytes) {
      throw new InvalidRecordException(
          type.configName + " data expands past the limit of " + maxBytes + " bytes");
    }
  }

  /** True if no byte remains; reads ahead (within the limit) to find out. */
  public boolean atEnd() {
    return chunkPos == chunkLimit && !fill();
  }

  private boolean fill() {
    if (ended) {
      return false;
    }
    // Ask for one byte past the budget, so passing the limit is detected without ever
    // expanding further than one chunk beyond it.
    int n = read(chunk, 0, (int) Math.min(CHUNK_BYTES, maxBytes - producedBytes + 1));
    if (n < 0) {
      ended = true;
      return false;
    }
    checkBudget(n);
    producedBytes += n;
    chunkPos = 0;
    chunkLimit = n;
    return true;
  }

  static InvalidRecordException corrupt(CompressionType type, Exception e) {
    if (e instanceof InvalidRecordException ire) {
      return ire;
    }
    return new InvalidRecordException("corrupt " + type.configName + " data: " + e, e);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // Only zstd holds anything to release, and its close cannot fail on valid state; report
      // it the same way as a read failure rather than hide it.
      throw corrupt(type, e);
    }
  }
}
