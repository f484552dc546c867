package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.nio.channels.GatheringByteChannel;
import java.util.List;

/**
 * Sends written one after another in order, e.g. a fetch response: header bytes, a file region,
 * more bytes, another region. A part starts only once the one before it has completed, so the
 * bytes reach the socket in list order.
 *
 * <p>Thread ownership: see {@link Send}.
 */
public final class CompositeSend implements Send {
  private final List<Send> parts;
  private final long size;
  /** Index of the first part not yet completed; all parts before it are completed. */
  private int current;
  private long written;

  public CompositeSend(List<Send> parts) {
    this.parts = List.copyOf(parts);
    long total = 0;
    for (Send part : this.parts) {
      Checks.argument(part.written() == 0, "part already partly written");
      total += part.size();
    }
    this.size = total;
    skipCompleted();
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
    long total = 0;
    while (current < parts.size()) {
      Send part = parts.get(current);
      long n = part.writeTo(channel);
      total += n;
      skipCompleted();
      if (!part.completed()) {
        break; // socket buffer full: resume with this part next round
      }
    }
    written += total;
    Checks.state(written <= size, "wrote %s of a %s-byte composite send", written, size);
    return total;
  }

  private void skipCompleted() {
    while (current < parts.size() && parts.get(current).completed()) {
      current++;
    }
  }
}
