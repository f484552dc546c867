package io.rill.protocol.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 as Kafka writes it since magic 1: the subset of the LZ4 frame format (v1.5.1) that
 * Kafka's own block streams produce and accept. Multi-byte fields are little-endian.
 *
 * <pre>
 * Frame =>
 *   Magic          int32  0x184D2204
 *   FLG            int8   bits 7-6 version = 01, 5 block independence (required),
 *                         4 block checksum, 3 content size, 2 content checksum, 1-0 reserved 0
 *   BD             int8   bits 6-4 block maximum size id (4=64 KiB .. 7=4 MiB), others 0
 *   ContentSize    int64  only if FLG bit 3
 *   HC             int8   (xxh32(FLG .. end of descriptor, seed 0) >> 8) &amp; 0xFF
 *   Block*         int32  size; high bit set = stored uncompressed; 0 = EndMark
 *                  bytes  the block
 *                  int32  xxh32 of the block, only if FLG bit 4
 *   ContentCheck   int32  only if FLG bit 2
 * </pre>
 *
 * <p>Like Kafka's reader, dependent blocks are refused, the reader stops at the first EndMark,
 * and the optional block and content checksums are skipped rather than verified: the batch's
 * CRC-32C already covers these bytes. The header checksum <em>is</em> verified; only magic 0
 * messages carried Kafka's old, wrong one (KAFKA-3160).
 *
 * <p>The writer emits what Kafka's does: 64 KiB blocks, independent, no checksums. Memory is
 * bounded by the declared block size (at most 4 MiB). Not thread-safe.
 */
final class Lz4Framing {
  static final int MAGIC = 0x184D2204;
  static final int MAGIC_LENGTH = 4;
  static final int FLG_OFFSET = MAGIC_LENGTH;
  static final int BD_OFFSET = FLG_OFFSET + 1;
  static final int CONTENT_SIZE_LENGTH = 8;
  static final int BLOCK_SIZE_LENGTH = 4;
  static final int CHECKSUM_LENGTH = 4;
  static final int END_MARK = 0;

  static final int FLG_VERSION_MASK = 0xC0;
  static final int FLG_VERSION = 0x40;
  static final int FLG_BLOCK_INDEPENDENCE = 0x20;
  static final int FLG_BLOCK_CHECKSUM = 0x10;
  static final int FLG_CONTENT_SIZE = 0x08;
  static final int FLG_CONTENT_CHECKSUM = 0x04;
  static final int FLG_RESERVED = 0x03;
  static final int BD_RESERVED = 0x8F;
  static final int BD_BLOCK_SIZE_SHIFT = 4;
  static final int BLOCK_SIZE_ID_MIN = 4;
  /** Kafka writes 64 KiB blocks (block size id 4). */
  static final int WRITE_BLOCK_SIZE_ID = 4;
  static final int WRITE_BLOCK_BYTES = blockBytes(WRITE_BLOCK_SIZE_ID);
  static final int UNCOMPRESSED_FLAG = 0x80000000;

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

  private Lz4Framing() {}

  /** 64 KiB, 256 KiB, 1 MiB, 4 MiB for ids 4..7. */
  static int blockBytes(int id) {
    return 1 << (8 + 2 * id);
  }

  static long maxCompressedBytes(int n) {
    long blocks = Math.max(1, (n + (long) WRITE_BLOCK_BYTES - 1) / WRITE_BLOCK_BYTES);
    // Header 7, each block at most its input plus a size field (stored raw when it does not
    // shrink), EndMark 4.
    return MAGIC_LENGTH + 3 + blocks * BLOCK_SIZE_LENGTH + n + BLOCK_SIZE_LENGTH;
  }

  static final class Reader extends BlockInputStream {
    private final ByteBuffer src;
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private final boolean blockChecksum;
    private final int maxBlockBytes;
    private boolean finished;

    Reader(ByteBuffer source) throws IOException {
      this.src = source.slice().order(ByteOrder.LITTLE_ENDIAN);
      if (src.remaining() < BD_OFFSET + 2) {
        throw new IOException("lz4 frame header truncated");
      }
      if (src.getInt(0) != MAGIC) {
        throw new IOException(String.format("lz4 frame magic %08x", src.getInt(0)));
      }
      int flg = src.get(FLG_OFFSET) & 0xff;
      int bd = src.get(BD_OFFSET) & 0xff;
      if ((flg & FLG_VERSION_MASK) != FLG_VERSION || (flg & FLG_RESERVED) != 0) {
        throw new IOException(String.format("lz4 frame FLG %02x unsupported", flg));
      }
      if ((flg & FLG_BLOCK_INDEPENDENCE) == 0) {
        throw new IOException("lz4 dependent block stream is unsupported");
      }
      int sizeId = (bd >> BD_BLOCK_SIZE_SHIFT) & 0x7;
      if ((bd & BD_RESERVED) != 0 || sizeId < BLOCK_SIZE_ID_MIN) {
        throw new IOException(String.format("lz4 frame BD %02x invalid", bd));
      }
      int descriptorEnd = BD_OFFSET + 1 + ((flg & FLG_CONTENT_SIZE) != 0 ? CONTENT_SIZE_LENGTH : 0);
      if (src.remaining() < descriptorEnd + 1) {
        throw new IOException("lz4 frame header truncated");
      }
      int hash = (XXHASH.hash(src, FLG_OFFSET, descriptorEnd - FLG_OFFSET, 0) >> 8) & 0xff;
      if (hash != (src.get(descriptorEnd) & 0xff)) {
        throw new IOException("lz4 frame header checksum mismatch");
      }
      this.blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
      this.maxBlockBytes = blockBytes(sizeId);
      this.block = new byte[maxBlockBytes];
      src.position(descriptorEnd + 1);
    }

    @Override
    protected boolean nextBlock() throws IOException {
      while (!finished) {
        if (src.remaining() < BLOCK_SIZE_LENGTH) {
          throw new IOException("lz4 frame ends without an EndMark");
        }
        int raw = src.getInt();
        if (raw == END_MARK) {
          finished = true;
          return false;
        }
        int size = raw & ~UNCOMPRESSED_FLAG;
        int trailer = blockChecksum ? CHECKSUM_LENGTH : 0;
        if (size > maxBlockBytes || size > src.remaining() - trailer) {
          throw new IOException(
              "lz4 block of " + size + " bytes, limit " + maxBlockBytes + ", " + src.remaining()
                  + " remain");
        }
        if ((raw & UNCOMPRESSED_FLAG) != 0) {
          src.get(block, 0, size);
          blockLimit = size;
        } else {
          blockLimit = decompressor.decompress(src, src.position(), size, ByteBuffer.wrap(block), 0,
              maxBlockBytes);
          src.position(src.position() + size);
        }
        src.position(src.position() + trailer);
        blockPos = 0;
        if (blockLimit > 0) {
          return true;
        }
      }
      return false;
    }
  }

  static final class Writer extends BlockOutputStream {
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final byte[] output;

    Writer(OutputStream out) throws IOException {
      super(out, WRITE_BLOCK_BYTES);
      this.output = new byte[BLOCK_SIZE_LENGTH + compressor.maxCompressedLength(WRITE_BLOCK_BYTES)];
      ByteBuffer header = ByteBuffer.allocate(MAGIC_LENGTH + 3).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(MAGIC)
          .put((byte) (FLG_VERSION | FLG_BLOCK_INDEPENDENCE))
          .put((byte) (WRITE_BLOCK_SIZE_ID << BD_BLOCK_SIZE_SHIFT));
      int hash = XXHASH.hash(header.array(), FLG_OFFSET, 2, 0);
      header.put((byte) ((hash >> 8) & 0xff));
      out.write(header.array());
    }

    @Override
    protected void writeBlock() throws IOException {
      ByteBuffer sizeField = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
      int compressed = compressor.compress(input, 0, inputSize, output, BLOCK_SIZE_LENGTH);
      if (compressed >= inputSize) {
        // Incompressible: store it, so a block never grows (what the frame format allows).
        sizeField.putInt(0, inputSize | UNCOMPRESSED_FLAG);
        out.write(output, 0, BLOCK_SIZE_LENGTH);
        out.write(input, 0, inputSize);
      } else {
        sizeField.putInt(0, compressed);
        out.write(output, 0, BLOCK_SIZE_LENGTH + compressed);
      }
    }

    @Override
    protected void writeTrailer() throws IOException {
      out.write(new byte[BLOCK_SIZE_LENGTH]); // EndMark
    }
  }
}
