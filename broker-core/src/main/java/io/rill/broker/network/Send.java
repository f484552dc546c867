package io.rill.broker.network;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;

/**
 * Bytes of one response, written to a non-blocking socket over as many selector rounds as the
 * socket needs.
 *
 * <p>Thread ownership: a handler builds a send and hands it over with {@link
 * NetworkRequest#sendResponse}; from then on only the connection's processor thread calls {@link
 * #writeTo}. A send is written once and is not reusable.
 *
 * <p>Invariant: {@code 0 <= written() <= size()}, and {@link #completed()} exactly when they are
 * equal; {@code size()} never changes.
 */
public interface Send {
  /** Total bytes this send writes. */
  long size();

  /** Bytes written so far. */
  long written();

  /**
   * Writes as much as the channel takes without blocking.
   *
   * @return bytes written by this call; 0 when the socket buffer is full
   */
  long writeTo(GatheringByteChannel channel) throws IOException;

  default boolean completed() {
    return written() == size();
  }

  default long remaining() {
    return size() - written();
  }
}
