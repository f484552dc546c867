package io.rill.protocol.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.xerial.snappy.Snappy;

/**
 * Snappy as Kafka clients write it. The Java client uses snappy-java's {@code
 * SnappyOutputStream}, whose framing (not the official {@code sNaPpY} framing format) is:
 *
 * <pre>
 * XerialStream =>
 *   Magic              8 bytes  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
 *   Version            int32    big-endian, 1
 *   CompatibleVersion  int32    big-endian, 1
 *   Chunk*             repeated until the end of the input:
 *     CompressedLength int32    big-endian
 *     Block            bytes    one raw snappy block, from at most 32 KiB of input
 * </pre>
 *
 * librdkafka and kafkajs write one raw snappy block with no framing at all, so the reader falls
 * back to raw when the magic is missing (what {@code SnappyInputStream.readHeader} does; Tansu
 * issue #67 is what happens to a broker that does not). A header in mid-stream starts a
 * concatenated stream and is skipped, as snappy-java does.
 *
 * <p>Bounds: a block's declared uncompressed length is checked against the caller's maximum
 * <em>before</em> anything is allocated, and against the output array before the native call
 * (the native decoder trusts the array it is given). Not thread-safe.
 */
final class SnappyFraming {
  static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
  static final int MAGIC_LENGTH = MAGIC.length;
  static final int VERSION_OFFSET = MAGIC_LENGTH;
  static final int COMPATIBLE_VERSION_OFFSET = VERSION_OFFSET + 4;
  static final int HEADER_LENGTH = COMPATIBLE_VERSION_OFFSET + 4;
  static final int CHUNK_LENGTH_LENGTH = 4;
  static final int FORMAT_VERSION = 1;
  static final int MIN_COMPATIBLE_VERSION = 1;
  /** Input per chunk: snappy-java's {@code SnappyOutputStream.DEFAULT_BLOCK_SIZE}. */
  static final int CHUNK_INPUT_BYTES = 32 * 1024;

  private SnappyFraming() {}

  static boolean startsWithMagic(ByteBuffer buf, int at) {
    if (buf.limit() - at < MAGIC_LENGTH) {
      return false;
    }
    for (int i = 0; i < MAGIC_LENGTH; i++) {
      if (buf.get(at + i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Worst-case output size for {@code n} input bytes, framing included. */
  static long maxCompressedBytes(int n) {
    long fullChunks = n / CHUNK_INPUT_BYTES;
    int rest = n % CHUNK_INPUT_BYTES;
    long size = HEADER_LENGTH
        + fullChunks * (CHUNK_LENGTH_LENGTH + Snappy.maxCompressedLength(CHUNK_INPUT_BYTES));
    return rest == 0 ? size : size + CHUNK_LENGTH_LENGTH + Snappy.maxCompressedLength(rest);
  }

  /** Reads xerial-framed or raw snappy from an in-memory buffer. */
  static final class Reader extends BlockInputStream {
    private final ByteBuffer src;
    private final boolean framed;
    private final long maxBytes;
    private long producedBytes;
    private byte[] scratchIn = new byte[0];
    private boolean rawDone;

    Reader(ByteBuffer source, long maxBytes) throws IOException {
      this.src = source.slice();
      this.maxBytes = maxBytes;
      this.framed = src.remaining() >= HEADER_LENGTH && startsWithMagic(src, 0);
      if (framed) {
        readHeader();
      }
    }

    private void readHeader() throws IOException {
      int compatible = src.getInt(src.position() + COMPATIBLE_VERSION_OFFSET);
      if (compatible < MIN_COMPATIBLE_VERSION) {
        throw new IOException("snappy stream compatible version " + compatible + " < 1");
      }
      src.position(src.position() + HEADER_LENGTH);
    }

    /** Decodes the next non-empty block; false at the clean end of the input. */
    @Override
    protected boolean nextBlock() throws IOException {
      while (true) {
        if (!framed) {
          if (rawDone) {
            return false;
          }
          rawDone = true;
          decode(src.position(), src.remaining());
          src.position(src.limit());
        } else {
          if (!src.hasRemaining()) {
            return false;
          }
          if (startsWithMagic(src, src.position())) {
            if (src.remaining() < HEADER_LENGTH) {
              throw new IOException("truncated snappy stream header");
            }
            readHeader();
            continue;
          }
          if (src.remaining() < CHUNK_LENGTH_LENGTH) {
            throw new IOException("truncated snappy chunk length");
          }
          int length = src.getInt();
          if (length < 0 || length > src.remaining()) {
            throw new IOException(
                "snappy chunk of " + length + " bytes, " + src.remaining() + " remain");
          }
          decode(src.position(), length);
          src.position(src.position() + length);
        }
        if (blockLimit > 0) {
          return true;
        }
      }
    }

    private void decode(int at, int length) throws IOException {
      byte[] in;
      int inOff;
      if (src.hasArray()) {
        in = src.array();
        inOff = src.arrayOffset() + at;
      } else {
        if (scratchIn.length < length) {
          scratchIn = new byte[length];
        }
        src.get(at, scratchIn, 0, length);
        in = scratchIn;
        inOff = 0;
      }
      int declared = Snappy.uncompressedLength(in, inOff, length);
      if (declared < 0 || declared > maxBytes - producedBytes) {
        throw new IOException(
            "snappy block declares " + declared + " bytes, over the limit of " + maxBytes);
      }
      if (block.length < declared) {
        block = new byte[declared];
      }
      int actual = Snappy.uncompress(in, inOff, length, block, 0);
      if (actual != declared) {
        throw new IOException("snappy block produced " + actual + " bytes, declared " + declared);
      }
      producedBytes += actual;
      blockPos = 0;
      blockLimit = actual;
    }
  }

  /** Writes the xerial framing, byte-compatible with what snappy-java's stream reads. */
  static final class Writer extends BlockOutputStream {
    private final byte[] output =
        new byte[CHUNK_LENGTH_LENGTH + Snappy.maxCompressedLength(CHUNK_INPUT_BYTES)];

    Writer(OutputStream out) throws IOException {
      super(out, CHUNK_INPUT_BYTES);
      byte[] header = new byte[HEADER_LENGTH];
      System.arraycopy(MAGIC, 0, header, 0, MAGIC_LENGTH);
      ByteBuffer.wrap(header).putInt(VERSION_OFFSET, FORMAT_VERSION)
          .putInt(COMPATIBLE_VERSION_OFFSET, MIN_COMPATIBLE_VERSION);
      out.write(header);
    }

    @Override
    protected void writeBlock() throws IOException {
      int compressed = Snappy.compress(input, 0, inputSize, output, CHUNK_LENGTH_LENGTH);
      ByteBuffer.wrap(output).putInt(0, compressed);
      out.write(output, 0, CHUNK_LENGTH_LENGTH + compressed);
    }
  }
}
