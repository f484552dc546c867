package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Heap or direct buffers written with one gathering write per call, from each buffer's position
 * to its limit. The send takes the buffers over: callers must not touch them afterwards.
 *
 * <p>Thread ownership: see {@link Send}.
 */
public final class ByteBufferSend implements Send {
  /** Buffers per gathering write; the OS caps iovecs (IOV_MAX is 1024 on Linux). */
  private static final int GATHER_BUFFERS_MAX = 64;

  private final ByteBuffer[] buffers;
  private final long size;
  /** Index of the first buffer with bytes left; buffers before it are fully written. */
  private int first;
  private long written;

  public ByteBufferSend(ByteBuffer... buffers) {
    this.buffers = buffers.clone();
    long total = 0;
    for (ByteBuffer b : this.buffers) {
      Checks.argument(b != null, "null buffer in send");
      total += b.remaining();
    }
    this.size = total;
    skipWritten();
  }

  /** This send with {@code prefix} as its first buffer; nothing may have been written yet. */
  ByteBufferSend withPrefix(ByteBuffer prefix) {
    Checks.state(written == 0, "prefixing a partly written send");
    ByteBuffer[] all = new ByteBuffer[buffers.length + 1];
    all[0] = prefix;
    System.arraycopy(buffers, 0, all, 1, buffers.length);
    return new ByteBufferSend(all);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public long writeTo(GatheringByteChannel channel) throws IOException {
    if (first == buffers.length) {
      return 0;
    }
    int length = Math.min(buffers.length - first, GATHER_BUFFERS_MAX);
    long n = channel.write(buffers, first, length);
    Checks.state(n >= 0, "negative write %s", n);
    written += n;
    skipWritten();
    Checks.state(written <= size, "wrote %s of a %s-byte send", written, size);
    return n;
  }

  private void skipWritten() {
    while (first < buffers.length && !buffers[first].hasRemaining()) {
      first++;
    }
  }
}
