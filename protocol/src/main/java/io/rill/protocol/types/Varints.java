package io.rill.protocol.types;

import io.rill.protocol.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Variable-length integers as the Kafka protocol uses them: unsigned varints (LEB128, 7 bits a
 * byte, low bits first) for compact lengths and tag numbers, and zig-zag signed varints/varlongs
 * inside records. Reads are relative to the buffer's position; a varint longer than its type
 * allows (5 bytes for int, 10 for long) is a {@link ProtocolException}, never a loop.
 */
public final class Varints {
  private Varints() {}

  public static int readUnsignedVarint(ByteBuffer buf) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!buf.hasRemaining()) {
        throw new ProtocolException("truncated varint");
      }
      byte b = buf.get();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ProtocolException("varint longer than 5 bytes");
  }

  public static long readUnsignedVarlong(ByteBuffer buf) {
    long value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (!buf.hasRemaining()) {
        throw new ProtocolException("truncated varlong");
      }
      byte b = buf.get();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ProtocolException("varlong longer than 10 bytes");
  }

  public static int readVarint(ByteBuffer buf) {
    int raw = readUnsignedVarint(buf);
    return (raw >>> 1) ^ -(raw & 1);
  }

  public static long readVarlong(ByteBuffer buf) {
    long raw = readUnsignedVarlong(buf);
    return (raw >>> 1) ^ -(raw & 1);
  }

  public static void writeUnsignedVarint(int value, ByteBuffer buf) {
    while ((value & 0xffffff80) != 0) {
      buf.put((byte) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    buf.put((byte) value);
  }

  public static void writeUnsignedVarlong(long value, ByteBuffer buf) {
    while ((value & 0xffffffffffffff80L) != 0) {
      buf.put((byte) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    buf.put((byte) value);
  }

  public static void writeVarint(int value, ByteBuffer buf) {
    writeUnsignedVarint((value << 1) ^ (value >> 31), buf);
  }

  public static void writeVarlong(long value, ByteBuffer buf) {
    writeUnsignedVarlong((value << 1) ^ (value >> 63), buf);
  }

  public static int sizeOfUnsignedVarint(int value) {
    // 1 byte per 7 significant bits, at least one byte.
    int bits = 32 - Integer.numberOfLeadingZeros(value);
    return Math.max(1, (bits + 6) / 7);
  }

  public static int sizeOfUnsignedVarlong(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value);
    return Math.max(1, (bits + 6) / 7);
  }

  public static int sizeOfVarint(int value) {
    return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
  }

  public static int sizeOfVarlong(long value) {
    return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
  }
}
