package io.rill.broker.network;

import io.rill.broker.log.FileRegion;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.channels.GatheringByteChannel;

/**
 * A slice of a segment file sent with {@code FileChannel.transferTo}: record data goes from the
 * page cache to the socket without entering the Java heap.
 *
 * <p>If the file is shorter than the region (truncated under us), {@code transferTo} returns 0
 * forever; the send then fails with an IOException rather than spinning, which closes only this
 * connection. Thread ownership: see {@link Send}.
 */
public final class FileRegionSend implements Send {
  private final FileRegion region;
  private long written;

  public FileRegionSend(FileRegion region) {
    Checks.argument(region != null, "null file region");
    this.region = region;
  }

  @Override
  public long size() {
    return region.length();
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public long writeTo(GatheringByteChannel channel) throws IOException {
    if (completed()) {
      return 0;
    }
    long n = region.transferTo(channel, written);
    if (n == 0 && region.channel().size() < region.position() + region.length()) {
      throw new IOException(
          "file region " + region.position() + "+" + region.length() + " runs past the end of "
              + "its file (" + region.channel().size() + " bytes): truncated while sending");
    }
    written += n;
    Checks.state(written <= size(), "transferred %s of a %s-byte region", written, size());
    return n;
  }
}
