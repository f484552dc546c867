package io.rill.protocol.compress;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream over a framed codec that decodes one block at a time into {@link #block}:
 * reads are served from {@code block[blockPos, blockLimit)} and {@link #nextBlock} refills it.
 *
 * <p>Invariant: {@code 0 <= blockPos <= blockLimit <= block.length}. Not thread-safe.
 */
abstract class BlockInputStream extends InputStream {
  protected byte[] block = new byte[0];
  protected int blockPos;
  protected int blockLimit;

  /**
   * Decodes the next non-empty block into {@link #block} and sets {@link #blockPos} to 0 and
   * {@link #blockLimit} to its size; returns false at the clean end of the input.
   */
  protected abstract boolean nextBlock() throws IOException;

  @Override
  public int read() throws IOException {
    if (blockPos == blockLimit && !nextBlock()) {
      return -1;
    }
    return block[blockPos++] & 0xff;
  }

  @Override
  public int read(byte[] dst, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (blockPos == blockLimit && !nextBlock()) {
      return -1;
    }
    int n = Math.min(len, blockLimit - blockPos);
    System.arraycopy(block, blockPos, dst, off, n);
    blockPos += n;
    return n;
  }
}
