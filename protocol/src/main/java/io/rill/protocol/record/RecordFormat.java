package io.rill.protocol.record;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.compress.Decompressor;
import io.rill.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The layout of one record inside a magic-2 batch (Kafka's DefaultRecord), read and written.
 * All varints are zig-zag signed (not the unsigned varints of flexible protocol messages).
 *
 * <pre>
 * Record =>
 *   Length          varint   bytes after this field
 *   Attributes      int8     unused, 0
 *   TimestampDelta  varlong  timestamp - batch BaseTimestamp
 *   OffsetDelta     varint   offset - batch BaseOffset
 *   KeyLength       varint   -1 = null key
 *   Key             bytes
 *   ValueLength     varint   -1 = null value
 *   Value           bytes
 *   HeaderCount     varint
 *   Header*         HeaderKeyLength varint (>= 0), HeaderKey UTF-8,
 *                   HeaderValueLength varint (-1 = null), HeaderValue bytes
 * </pre>
 *
 * <p>Readers treat every length as a claim to check against the bytes that are really there
 * before slicing or allocating. Stateless.
 */
final class RecordFormat {
  static final int ATTRIBUTES_LENGTH = 1;
  /** A header needs at least its two length varints. */
  static final int MIN_HEADER_BYTES = 2;
  /** Smallest body: attributes + five one-byte varints (timestamp, offset, key, value, count). */
  static final int MIN_BODY_BYTES = ATTRIBUTES_LENGTH + 5;
  static final int MAX_VARINT_BYTES = 5;

  private RecordFormat() {}

  /**
   * Parses one record body. {@code cursor}'s position is at Attributes and its limit at the end
   * of this record's body; key, value and header values become slices of its buffer.
   */
  static Record read(ByteBuffer cursor, int sizeInBytes, RecordBatch batch) {
    try {
      if (cursor.remaining() < MIN_BODY_BYTES) {
        throw new InvalidRecordException("record body of " + cursor.remaining() + " bytes");
      }
      cursor.get(); // attributes: unused since magic 2
      long timestampDelta = Varints.readVarlong(cursor);
      int offsetDelta = Varints.readVarint(cursor);
      ByteBuffer key = readBytes(cursor, "key");
      ByteBuffer value = readBytes(cursor, "value");
      List<Header> headers = readHeaders(cursor);
      if (cursor.hasRemaining()) {
        throw new InvalidRecordException(
            "record has " + cursor.remaining() + " bytes past its last header");
      }
      long timestamp = batch.timestampType() == TimestampType.LOG_APPEND_TIME
          ? batch.maxTimestamp()
          : batch.baseTimestamp() + timestampDelta;
      return new Record(batch.baseOffset() + offsetDelta, offsetDelta, timestamp, sizeInBytes, key,
          value, headers);
    } catch (InvalidRecordException e) {
      throw e;
    } catch (ProtocolException e) {
      throw new InvalidRecordException("malformed record: " + e.getMessage(), e);
    }
  }

  private static List<Header> readHeaders(ByteBuffer cursor) {
    int count = Varints.readVarint(cursor);
    checkHeaderCount(count, cursor.remaining());
    if (count == 0) {
      return List.of();
    }
    Header[] headers = new Header[count];
    for (int i = 0; i < count; i++) {
      int keyLength = Varints.readVarint(cursor);
      checkLength(keyLength, cursor.remaining(), "header key");
      if (keyLength < 0) {
        throw new InvalidRecordException("null header key");
      }
      String key = utf8(cursor, keyLength);
      headers[i] = new Header(key, readBytes(cursor, "header value"));
    }
    return Collections.unmodifiableList(Arrays.asList(headers));
  }

  static void checkHeaderCount(int count, int remaining) {
    // A claim of more headers than bytes could hold is refused before anything is allocated.
    if (count < 0 || count > remaining / MIN_HEADER_BYTES) {
      throw new InvalidRecordException(
          "header count " + count + " impossible in " + remaining + " bytes");
    }
  }

  static void checkLength(int length, int remaining, String what) {
    if (length < -1 || length > remaining) {
      throw new InvalidRecordException(
          what + " length " + length + " with " + remaining + " bytes left in the record");
    }
  }

  /** A length-prefixed byte field as a slice, or null for length -1; advances the cursor. */
  private static ByteBuffer readBytes(ByteBuffer cursor, String what) {
    int length = Varints.readVarint(cursor);
    checkLength(length, cursor.remaining(), what);
    if (length < 0) {
      return null;
    }
    ByteBuffer slice = cursor.slice(cursor.position(), length);
    cursor.position(cursor.position() + length);
    return slice;
  }

  private static String utf8(ByteBuffer cursor, int length) {
    String s;
    if (cursor.hasArray()) {
      s = new String(cursor.array(), cursor.arrayOffset() + cursor.position(), length,
          StandardCharsets.UTF_8);
    } else {
      byte[] bytes = new byte[length];
      cursor.get(cursor.position(), bytes);
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    cursor.position(cursor.position() + length);
    return s;
  }

  /** Reads a zig-zag varint from decompressed data; -1 never returned, end of data throws. */
  static int readVarint(Decompressor in) {
    int raw = 0;
    for (int shift = 0; shift < 7 * MAX_VARINT_BYTES; shift += 7) {
      int b = in.readByte();
      if (b < 0) {
        throw new InvalidRecordException("decompressed records end inside a length varint");
      }
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new InvalidRecordException("record length varint longer than 5 bytes");
  }

  // ---- writing ----

  /** Body size (everything after Length) of a record with these fields. */
  static int sizeOfBody(int offsetDelta, long timestampDelta, int keySize, int valueSize,
      byte[][] headerKeys, ByteBuffer[] headerValues) {
    long size = ATTRIBUTES_LENGTH + Varints.sizeOfVarlong(timestampDelta)
        + Varints.sizeOfVarint(offsetDelta) + sizeOfField(keySize) + sizeOfField(valueSize)
        + Varints.sizeOfVarint(headerKeys.length);
    for (int i = 0; i < headerKeys.length; i++) {
      size += sizeOfField(headerKeys[i].length)
          + sizeOfField(headerValues[i] == null ? -1 : headerValues[i].remaining());
    }
    if (size > Integer.MAX_VALUE - MAX_VARINT_BYTES) {
      throw new IllegalArgumentException("record of " + size + " bytes is too large");
    }
    return (int) size;
  }

  private static int sizeOfField(int size) {
    return size < 0 ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(size) + size;
  }

  /** Writes one record, Length included, at {@code out}'s position. */
  static void write(ByteBuffer out, int bodySize, int offsetDelta, long timestampDelta,
      ByteBuffer key, ByteBuffer value, byte[][] headerKeys, ByteBuffer[] headerValues) {
    Varints.writeVarint(bodySize, out);
    out.put((byte) 0);
    Varints.writeVarlong(timestampDelta, out);
    Varints.writeVarint(offsetDelta, out);
    writeField(out, key);
    writeField(out, value);
    Varints.writeVarint(headerKeys.length, out);
    for (int i = 0; i < headerKeys.length; i++) {
      Varints.writeVarint(headerKeys[i].length, out);
      out.put(headerKeys[i]);
      writeField(out, headerValues[i]);
    }
  }

  private static void writeField(ByteBuffer out, ByteBuffer field) {
    if (field == null) {
      Varints.writeVarint(-1, out);
    } else {
      Varints.writeVarint(field.remaining(), out);
      out.put(field.duplicate());
    }
  }
}
