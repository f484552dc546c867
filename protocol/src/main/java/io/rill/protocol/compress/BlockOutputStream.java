package io.rill.protocol.compress;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream for a framed codec that compresses fixed-size blocks: writes fill {@link
 * #input}; each full block, and the partial last one at {@link #close}, goes to {@link
 * #writeBlock}; {@link #writeTrailer} then ends the frame.
 *
 * <p>Invariant: {@code 0 <= inputSize <= input.length}. Not thread-safe.
 */
abstract class BlockOutputStream extends OutputStream {
  protected final OutputStream out;
  protected final byte[] input;
  protected int inputSize;
  private boolean closed;

  protected BlockOutputStream(OutputStream out, int blockBytes) {
    this.out = out;
    this.input = new byte[blockBytes];
  }

  /** Compresses and writes {@code input[0, inputSize)}, which is never empty. */
  protected abstract void writeBlock() throws IOException;

  /** Writes whatever ends the frame after the last block; nothing by default. */
  protected void writeTrailer() throws IOException {}

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] src, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, input.length - inputSize);
      System.arraycopy(src, off, input, inputSize, n);
      inputSize += n;
      off += n;
      len -= n;
      if (inputSize == input.length) {
        flushBlock();
      }
    }
  }

  private void flushBlock() throws IOException {
    if (inputSize > 0) {
      writeBlock();
      inputSize = 0;
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      flushBlock();
      writeTrailer();
      out.close();
    }
  }
}
