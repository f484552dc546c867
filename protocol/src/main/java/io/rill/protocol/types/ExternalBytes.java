package io.rill.protocol.types;

/**
 * Record data that lives outside the heap — in the broker, a region of a segment file — and is
 * written to the socket by the network layer (zero copy, {@code FileChannel.transferTo}), never
 * through an encoder's buffer.
 *
 * <p>An encoder that meets a records field holding {@code ExternalBytes} writes the length
 * prefix and leaves a hole of {@link #sizeInBytes()} bytes for the network layer to fill.
 */
public interface ExternalBytes {
  /** The exact number of bytes this region contributes to the frame. */
  int sizeInBytes();
}
