package io.rill.protocol.types;

import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes Kafka primitive types into a growable heap buffer, and leaves holes for {@link
 * ExternalBytes} (record data in files) that the network layer fills by zero-copy transfer.
 *
 * <p>The result is a list of chunks — heap {@link ByteBuffer}s and {@code ExternalBytes} — in
 * wire order. Not thread-safe; one writer per encode.
 */
public final class WireWriter {
  private static final int INITIAL_CAPACITY = 256;

  private ByteBuffer buf;
  private final List<Object> chunks = new ArrayList<>(1);
  private int flushedBytes;

  public WireWriter() {
    this(INITIAL_CAPACITY);
  }

  public WireWriter(int initialCapacity) {
    this.buf = ByteBuffer.allocate(Math.max(16, initialCapacity));
  }

  private void ensure(int bytes) {
    if (buf.remaining() < bytes) {
      int needed = buf.position() + bytes;
      int capacity = Math.max(needed, buf.capacity() * 2);
      ByteBuffer grown = ByteBuffer.allocate(capacity);
      buf.flip();
      grown.put(buf);
      buf = grown;
    }
  }

  public WireWriter writeInt8(byte v) {
    ensure(1);
    buf.put(v);
    return this;
  }

  public WireWriter writeBoolean(boolean v) {
    return writeInt8((byte) (v ? 1 : 0));
  }

  public WireWriter writeInt16(short v) {
    ensure(2);
    buf.putShort(v);
    return this;
  }

  public WireWriter writeInt32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public WireWriter writeInt64(long v) {
    ensure(8);
    buf.putLong(v);
    return this;
  }

  public WireWriter writeFloat64(double v) {
    ensure(8);
    buf.putDouble(v);
    return this;
  }

  public WireWriter writeUuid(UUID v) {
    ensure(16);
    buf.putLong(v.getMostSignificantBits()).putLong(v.getLeastSignificantBits());
    return this;
  }

  public WireWriter writeUnsignedVarint(int v) {
    ensure(5);
    Varints.writeUnsignedVarint(v, buf);
    return this;
  }

  public WireWriter writeVarint(int v) {
    ensure(5);
    Varints.writeVarint(v, buf);
    return this;
  }

  public WireWriter writeVarlong(long v) {
    ensure(10);
    Varints.writeVarlong(v, buf);
    return this;
  }

  /** A classic (int16 length) or compact (uvarint length + 1) string; null allowed. */
  public WireWriter writeString(String s, boolean compact) {
    if (s == null) {
      return compact ? writeUnsignedVarint(0) : writeInt16((short) -1);
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    Checks.argument(bytes.length <= WireReader.STRING_MAX_BYTES, "string of %s bytes is longer"
        + " than the protocol allows", bytes.length);
    if (compact) {
      writeUnsignedVarint(bytes.length + 1);
    } else {
      writeInt16((short) bytes.length);
    }
    return writeRaw(bytes);
  }

  /** Length prefix of classic (int32) or compact (uvarint + 1) bytes/arrays; -1 is null. */
  public WireWriter writeLength(int length, boolean compact) {
    return compact ? writeUnsignedVarint(length + 1) : writeInt32(length);
  }

  public WireWriter writeBytes(byte[] bytes, boolean compact) {
    if (bytes == null) {
      return writeLength(-1, compact);
    }
    writeLength(bytes.length, compact);
    return writeRaw(bytes);
  }

  public WireWriter writeRaw(byte[] bytes) {
    ensure(bytes.length);
    buf.put(bytes);
    return this;
  }

  /** Copies the remaining bytes of {@code src} without moving its position. */
  public WireWriter writeRaw(ByteBuffer src) {
    ensure(src.remaining());
    buf.put(src.duplicate());
    return this;
  }

  /** Leaves a hole that the network layer fills with {@code external}'s bytes. */
  public WireWriter writeExternal(ExternalBytes external) {
    flushChunk();
    chunks.add(external);
    flushedBytes += external.sizeInBytes();
    return this;
  }

  private void flushChunk() {
    if (buf.position() > 0) {
      buf.flip();
      chunks.add(buf);
      flushedBytes += buf.remaining();
      buf = ByteBuffer.allocate(INITIAL_CAPACITY);
    }
  }

  /** Bytes written so far, holes included. */
  public int size() {
    return flushedBytes + buf.position();
  }

  /**
   * The output in wire order: heap {@code ByteBuffer}s (ready to read) and {@code
   * ExternalBytes}. The writer must not be used afterwards.
   */
  public List<Object> chunks() {
    flushChunk();
    return chunks;
  }

  /** The output as one heap buffer, ready to read; only when no external bytes were written. */
  public ByteBuffer toByteBuffer() {
    List<Object> all = chunks();
    ByteBuffer out = ByteBuffer.allocate(flushedBytes);
    for (Object chunk : all) {
      Checks.state(chunk instanceof ByteBuffer, "external bytes cannot be flattened: %s", chunk);
      out.put((ByteBuffer) chunk);
    }
    return out.flip();
  }
}
