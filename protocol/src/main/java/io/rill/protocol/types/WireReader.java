package io.rill.protocol.types;

import io.rill.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka primitive types from a buffer, trusting nothing: every length is checked against
 * the bytes that remain and against {@link #maxLength} before anything is allocated, so a
 * hostile length yields a {@link ProtocolException}, never an {@code OutOfMemoryError}.
 *
 * <p>Reads advance the buffer's position. Not thread-safe; one reader per decode.
 */
public final class WireReader {
  /** Longest string the protocol allows, compact or classic (Kafka refuses longer ones). */
  public static final int STRING_MAX_BYTES = Short.MAX_VALUE;

  /** Default cap on any single length (string, bytes, array count): the frame bounds it anyway. */
  public static final int DEFAULT_MAX_LENGTH = Integer.MAX_VALUE;

  private final ByteBuffer buf;
  private final int maxLength;

  public WireReader(ByteBuffer buf) {
    this(buf, DEFAULT_MAX_LENGTH);
  }

  public WireReader(ByteBuffer buf, int maxLength) {
    this.buf = buf;
    this.maxLength = maxLength;
  }

  public ByteBuffer buffer() {
    return buf;
  }

  public int remaining() {
    return buf.remaining();
  }

  private void need(int bytes, String what) {
    if (buf.remaining() < bytes) {
      throw new ProtocolException(
          "truncated " + what + ": needs " + bytes + " bytes, " + buf.remaining() + " remain");
    }
  }

  public byte readInt8() {
    need(1, "int8");
    return buf.get();
  }

  public boolean readBoolean() {
    return readInt8() != 0;
  }

  public short readInt16() {
    need(2, "int16");
    return buf.getShort();
  }

  public int readUint16() {
    return Short.toUnsignedInt(readInt16());
  }

  public int readInt32() {
    need(4, "int32");
    return buf.getInt();
  }

  public long readUint32() {
    return Integer.toUnsignedLong(readInt32());
  }

  public long readInt64() {
    need(8, "int64");
    return buf.getLong();
  }

  public double readFloat64() {
    need(8, "float64");
    return buf.getDouble();
  }

  public UUID readUuid() {
    need(16, "uuid");
    return new UUID(buf.getLong(), buf.getLong());
  }

  public int readUnsignedVarint() {
    return Varints.readUnsignedVarint(buf);
  }

  public int readVarint() {
    return Varints.readVarint(buf);
  }

  public long readVarlong() {
    return Varints.readVarlong(buf);
  }

  /** Checks a size that cannot be null: negative is refused like any other bad length. */
  public int checkSize(int size, String what) {
    if (size < 0) {
      throw new ProtocolException("negative " + what + " size " + size);
    }
    return checkLength(size, what);
  }

  /**
   * Checks a length read from the wire: -1 (null) passes; any other negative, or one beyond the
   * remaining bytes or the configured maximum, is refused.
   */
  public int checkLength(int length, String what) {
    if (length < -1) {
      throw new ProtocolException("negative " + what + " length " + length);
    }
    if (length > maxLength) {
      throw new ProtocolException(what + " length " + length + " exceeds maximum " + maxLength);
    }
    if (length > buf.remaining()) {
      throw new ProtocolException(
          what + " length " + length + " exceeds the " + buf.remaining() + " bytes remaining");
    }
    return length;
  }

  /**
   * Length of a classic (int16) or compact (uvarint, +1) string; -1 for null. Either form is
   * capped at {@link #STRING_MAX_BYTES}, as Kafka's readers cap it.
   */
  public int readStringLength(boolean compact) {
    int length = compact ? readUnsignedVarint() - 1 : readInt16();
    if (length > STRING_MAX_BYTES) {
      throw new ProtocolException("string length " + length + " exceeds " + STRING_MAX_BYTES);
    }
    return checkLength(length, "string");
  }

  /** Length of classic (int32) or compact (uvarint, +1) bytes; -1 for null. */
  public int readBytesLength(boolean compact) {
    int length = compact ? readUnsignedVarint() - 1 : readInt32();
    return checkLength(length, "bytes");
  }

  /**
   * Count of a classic (int32) or compact (uvarint, +1) array; -1 for null. Every element takes
   * at least one byte, so a count beyond the remaining bytes is refused before any allocation.
   */
  public int readArrayLength(boolean compact) {
    int length = compact ? readUnsignedVarint() - 1 : readInt32();
    return checkLength(length, "array");
  }

  public String readString(boolean compact) {
    int length = readStringLength(compact);
    if (length < 0) {
      return null;
    }
    String s;
    if (buf.hasArray()) {
      s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
      buf.position(buf.position() + length);
    } else {
      byte[] bytes = new byte[length];
      buf.get(bytes);
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    return s;
  }

  public byte[] readBytes(boolean compact) {
    int length = readBytesLength(compact);
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    buf.get(bytes);
    return bytes;
  }

  /** A zero-copy view of the next {@code length} bytes, which are then skipped. */
  public ByteBuffer readSlice(int length) {
    checkSize(length, "slice");
    ByteBuffer slice = buf.slice(buf.position(), length);
    buf.position(buf.position() + length);
    return slice;
  }

  public void skip(int length) {
    checkSize(length, "skipped");
    buf.position(buf.position() + length);
  }
}
