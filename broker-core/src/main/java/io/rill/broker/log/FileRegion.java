package io.rill.broker.log;

import io.rill.protocol.types.ExternalBytes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A byte range of a segment file holding whole record batches: what a log read returns and what
 * the network layer sends with {@link FileChannel#transferTo} so record data never passes
 * through the heap.
 *
 * <p>The channel stays owned by its segment; a region is only valid while the segment is open.
 * A segment deleted by retention while a region is in flight keeps its file readable until the
 * channel closes (POSIX unlink semantics), and a send on a closed channel fails that one
 * response only.
 */
public record FileRegion(FileChannel channel, long position, int length) implements ExternalBytes {
  public FileRegion {
    if (position < 0 || length < 0) {
      throw new IllegalArgumentException("position " + position + ", length " + length);
    }
  }

  @Override
  public int sizeInBytes() {
    return length;
  }

  /**
   * Sends up to {@code length - written} bytes starting {@code written} bytes into the region.
   *
   * @return bytes transferred by this call (may be 0 when the socket buffer is full)
   */
  public long transferTo(WritableByteChannel target, long written) throws IOException {
    return channel.transferTo(position + written, length - written, target);
  }
}
