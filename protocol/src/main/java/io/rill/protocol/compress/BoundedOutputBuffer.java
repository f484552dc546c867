package io.rill.protocol.compress;

import io.rill.protocol.util.Checks;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable in-memory {@link OutputStream} with a hard maximum size, the sink that compressors
 * and {@link io.rill.protocol.record.RecordBatchBuilder} write into.
 *
 * <p>Invariant: {@code size() <= maxBytes}; a write that would pass the maximum fails with
 * {@link IllegalStateException} and writes nothing (our own code sized it wrong: the builder
 * reserves the codec's worst case before it accepts a record). The backing array grows by
 * doubling, never past {@code maxBytes}. Not thread-safe.
 */
public final class BoundedOutputBuffer extends OutputStream {
  private final int maxBytes;
  private byte[] bytes;
  private int size;

  public BoundedOutputBuffer(int initialBytes, int maxBytes) {
    Checks.argument(maxBytes >= 0, "maxBytes %s < 0", maxBytes);
    Checks.argument(initialBytes >= 0, "initialBytes %s < 0", initialBytes);
    this.maxBytes = maxBytes;
    this.bytes = new byte[Math.min(initialBytes, maxBytes)];
  }

  public int size() {
    return size;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** Moves the write position, e.g. past a header that is filled in later; grows as needed. */
  public void position(int newSize) {
    ensure(newSize);
    size = newSize;
  }

  @Override
  public void write(int b) {
    ensure(size + 1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] src, int off, int len) {
    Checks.argument(off >= 0 && len >= 0 && len <= src.length - off, "bad slice %s+%s", off, len);
    ensure(size + len);
    System.arraycopy(src, off, bytes, size, len);
    size += len;
  }

  /** Writes the remaining bytes of {@code src} without moving its position. */
  public void write(ByteBuffer src) {
    int len = src.remaining();
    ensure(size + len);
    src.duplicate().get(bytes, size, len);
    size += len;
  }

  /** The bytes written so far, as a buffer over the backing array (no copy). */
  public ByteBuffer toByteBuffer() {
    return ByteBuffer.wrap(bytes, 0, size).slice();
  }

  private void ensure(int needed) {
    Checks.state(
        needed >= 0 && needed <= maxBytes, "output of %s bytes would exceed %s", needed, maxBytes);
    if (needed > bytes.length) {
      long doubled = Math.max(16L, 2L * bytes.length);
      bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(doubled, needed)));
    }
  }
}
