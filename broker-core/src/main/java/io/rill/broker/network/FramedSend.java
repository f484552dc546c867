package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A response on the wire: the 4-byte big-endian size of {@code body}, then the body.
 *
 * <p>{@link #of} puts the prefix in front of a byte-buffer body's own buffers, so a heap response
 * (nearly all of them) leaves in one gathering write; a body with file regions gets this
 * wrapper, which writes the prefix and then hands over to the body.
 *
 * <p>Thread ownership: see {@link Send}.
 */
final class FramedSend implements Send {
  private final ByteBuffer prefix;
  private final Send body;

  private FramedSend(ByteBuffer prefix, Send body) {
    this.prefix = prefix;
    this.body = body;
  }

  /** {@code body} framed; it must not have been written yet. */
  static Send of(Send body) {
    Checks.argument(body.written() == 0, "framing a partly written send");
    ByteBuffer prefix = sizePrefix(body.size());
    if (body instanceof ByteBufferSend buffers) {
      return buffers.withPrefix(prefix);
    }
    return new FramedSend(prefix, body);
  }

  static ByteBuffer sizePrefix(long frameBytes) {
    Checks.argument(
        frameBytes >= 0 && frameBytes <= Integer.MAX_VALUE, "frame of %s bytes", frameBytes);
    return ByteBuffer.allocate(4).putInt((int) frameBytes).flip();
  }

  @Override
  public long size() {
    return 4 + body.size();
  }

  @Override
  public long written() {
    return 4 - prefix.remaining() + body.written();
  }

  @Override
  public long writeTo(GatheringByteChannel channel) throws IOException {
    long n = 0;
    if (prefix.hasRemaining()) {
      n = channel.write(prefix);
      if (prefix.hasRemaining()) {
        return n;
      }
    }
    return n + body.writeTo(channel);
  }
}
