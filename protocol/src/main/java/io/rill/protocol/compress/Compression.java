package io.rill.protocol.compress;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.rill.protocol.record.CompressionType;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The five record-batch codecs, in the byte formats the Java client writes and every client
 * reads: gzip (RFC 1952), snappy (xerial framing; raw blocks also read, see {@link
 * SnappyFraming}), lz4 (Kafka's frame subset, see {@link Lz4Framing}), zstd (standard frames via
 * zstd-jni, level 3 like the Java client's default).
 *
 * <p>Decompression is always bounded ({@link #DEFAULT_MAX_DECOMPRESSED_BYTES}) and reports any
 * corruption as {@link io.rill.protocol.record.InvalidRecordException}. Stateless and
 * thread-safe; the streams it returns are not.
 */
public final class Compression {
  /**
   * Default cap on one batch's decompressed records. Kafka's own limit on a batch is its
   * message.max.bytes (1 MiB default) compressed; 64 MiB of expanded data leaves room for very
   * compressible batches while keeping a zip bomb from taking the heap.
   */
  public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
  /** Largest limit a caller may ask for: decompressed records are addressed by int. */
  public static final int MAX_DECOMPRESSED_BYTES_LIMIT = Integer.MAX_VALUE - 16;
  /** The Java client's default zstd level (ZSTD_CLEVEL_DEFAULT). */
  public static final int ZSTD_LEVEL = 3;
  static final int GZIP_BUFFER_BYTES = 8 * 1024;

  private Compression() {}

  /**
   * Opens a bounded decompressing source over {@code compressed}'s remaining bytes (its
   * position is not moved). The source must be closed.
   *
   * @throws io.rill.protocol.record.InvalidRecordException if the codec's header is corrupt
   */
  public static Decompressor decompress(
      CompressionType type, ByteBuffer compressed, int maxDecompressedBytes) {
    Checks.argument(type != CompressionType.NONE, "nothing to decompress for codec none");
    Checks.argument(
        maxDecompressedBytes >= 0 && maxDecompressedBytes <= MAX_DECOMPRESSED_BYTES_LIMIT,
        "maxDecompressedBytes %s out of range",
        maxDecompressedBytes);
    InputStream in;
    try {
      in = switch (type) {
        case GZIP -> new GZIPInputStream(new ByteBufferInputStream(compressed), GZIP_BUFFER_BYTES);
        case SNAPPY -> new SnappyFraming.Reader(compressed, maxDecompressedBytes);
        case LZ4 -> new Lz4Framing.Reader(compressed);
        // zstd-jni's default window limit (2^27) is kept: the Java client's highest levels
        // use it, and a smaller cap would refuse their batches. The recycling pool reuses the
        // stream's 128 KiB in/out buffers across batches (it is thread-safe).
        case ZSTD -> new ZstdInputStreamNoFinalizer(new ByteBufferInputStream(compressed),
            RecyclingBufferPool.INSTANCE);
        case NONE -> throw new IllegalStateException("unreachable");
      };
    } catch (IOException | RuntimeException e) {
      throw Decompressor.corrupt(type, e);
    }
    return new Decompressor(type, in, maxDecompressedBytes);
  }

  /**
   * Wraps {@code out} in a compressing stream; closing it finishes the frame and closes
   * {@code out}. For {@link CompressionType#NONE} returns {@code out} itself.
   */
  public static OutputStream compressor(CompressionType type, OutputStream out) {
    try {
      return switch (type) {
        case NONE -> out;
        case GZIP -> new GZIPOutputStream(out, GZIP_BUFFER_BYTES);
        case SNAPPY -> new SnappyFraming.Writer(out);
        case LZ4 -> new Lz4Framing.Writer(out);
        case ZSTD -> new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + type.configName + " compressor", e);
    }
  }

  /**
   * The most bytes {@link #compressor} can write for {@code n} input bytes, framing included:
   * what a bounded writer must reserve. Generous rather than tight.
   */
  public static long maxCompressedBytes(CompressionType type, int n) {
    Checks.argument(n >= 0, "n %s < 0", n);
    return switch (type) {
      case NONE -> n;
      // Deflate stores incompressible input in blocks of <= 64 KiB with 5 bytes overhead
      // each; zlib's deflateBound is tighter than this, plus gzip's 18-byte framing.
      case GZIP -> n + (n >> 10) + 64L;
      case SNAPPY -> SnappyFraming.maxCompressedBytes(n);
      case LZ4 -> Lz4Framing.maxCompressedBytes(n);
      // ZSTD_COMPRESSBOUND is n + n/256 + (n < 128 KiB ? (128 KiB - n) / 2048 : 0); frame
      // header and block headers fit in the extra.
      case ZSTD -> n + (n >> 7) + 256L;
    };
  }

  /** Compresses {@code src}'s remaining bytes (position not moved) into {@code dst}. */
  public static void compress(CompressionType type, ByteBuffer src, BoundedOutputBuffer dst) {
    byte[] chunk = src.hasArray() ? null : new byte[GZIP_BUFFER_BYTES];
    try (OutputStream out = compressor(type, new NonClosing(dst))) {
      if (src.hasArray()) {
        out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
      } else {
        ByteBuffer view = src.duplicate();
        while (view.hasRemaining()) {
          int n = Math.min(chunk.length, view.remaining());
          view.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("compressing with " + type.configName, e);
    }
  }

  /** Lets a codec's close() finish its frame without closing the buffer under it. */
  private static final class NonClosing extends OutputStream {
    private final BoundedOutputBuffer out;

    NonClosing(BoundedOutputBuffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(b, off, len);
    }
  }
}
