package io.rill.protocol.compress;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link InputStream} over the remaining bytes of a {@link ByteBuffer}, so that stream-based
 * codecs (gzip, zstd-jni) can read a batch's compressed records where they lie, without a copy.
 *
 * <p>Reads a private duplicate: the caller's buffer position and limit never move. Not
 * thread-safe.
 */
final class ByteBufferInputStream extends InputStream {
  private final ByteBuffer buf;

  ByteBufferInputStream(ByteBuffer source) {
    this.buf = source.duplicate();
  }

  @Override
  public int read() {
    return buf.hasRemaining() ? buf.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] dst, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!buf.hasRemaining()) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(dst, off, n);
    return n;
  }

  @Override
  public long skip(long n) {
    int skipped = (int) Math.min(Math.max(n, 0), buf.remaining());
    buf.position(buf.position() + skipped);
    return skipped;
  }

  @Override
  public int available() {
    return buf.remaining();
  }
}
