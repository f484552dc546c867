package io.rill.protocol.schema;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.schema.Type.Primitive;
import io.rill.protocol.types.ExternalBytes;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Encodes and decodes {@link Struct}s by their {@link Schema} at one message version. {@code
 * flexible} (KIP-482) switches strings, bytes and arrays to their compact forms and gives every
 * struct a tagged-field section; it is a property of the message version, so it holds for every
 * nested struct too.
 *
 * <p>Rules kept here, once, for every API:
 *
 * <ul>
 *   <li>A field absent from the version is skipped when writing and left at its default when
 *       reading.
 *   <li>A tagged field is written only when it differs from its default (Kafka writes the same
 *       bytes), in ascending tag order; unknown tags are skipped when reading.
 *   <li>Decoding never allocates by a length it has not checked against the remaining bytes.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class Codec {
  private Codec() {}

  public static void write(Struct struct, short version, boolean flexible, WireWriter out) {
    List<Field<?>> fields = struct.schema().fields();
    for (int i = 0; i < fields.size(); i++) {
      Field<?> f = fields.get(i);
      if (f.presentIn(version) && !(flexible && f.taggedIn(version))) {
        writeValue(f, f.type(), struct.getRaw(i), version, flexible, out);
      }
    }
    if (flexible) {
      writeTaggedFields(struct, version, out);
    }
  }

  private static void writeTaggedFields(Struct struct, short version, WireWriter out) {
    List<Field<?>> tagged = struct.schema().taggedFields();
    int count = 0;
    for (Field<?> f : tagged) {
      if (isWrittenTagged(f, struct, version)) {
        count++;
      }
    }
    out.writeUnsignedVarint(count);
    for (Field<?> f : tagged) {
      if (isWrittenTagged(f, struct, version)) {
        WireWriter value = new WireWriter(32);
        writeValue(f, f.type(), struct.getRaw(f.index()), version, true, value);
        ByteBuffer bytes = value.toByteBuffer();
        out.writeUnsignedVarint(f.tag()).writeUnsignedVarint(bytes.remaining()).writeRaw(bytes);
      }
    }
  }

  private static boolean isWrittenTagged(Field<?> f, Struct struct, short version) {
    return f.taggedIn(version) && !Struct.valueEquals(struct.getRaw(f.index()), f.newDefault());
  }

  private static void writeValue(
      Field<?> f, Type type, Object v, short version, boolean flexible, WireWriter out) {
    if (type instanceof Type.ArrayOf array) {
      writeArray(f, array, (List<?>) v, version, flexible, out);
      return;
    }
    if (type instanceof Type.StructOf) {
      Checks.argument(v != null, "%s: null struct", f);
      write((Struct) v, version, flexible, out);
      return;
    }
    if (v == null) {
      Checks.argument(f.nullableIn(version), "%s is not nullable in version %s", f, version);
    }
    switch ((Primitive) type) {
      case BOOLEAN -> out.writeBoolean((Boolean) v);
      case INT8 -> out.writeInt8((Byte) v);
      case INT16 -> out.writeInt16((Short) v);
      case UINT16 -> out.writeInt16((short) (int) (Integer) v);
      case INT32 -> out.writeInt32((Integer) v);
      case UINT32 -> out.writeInt32((int) (long) (Long) v);
      case INT64 -> out.writeInt64((Long) v);
      case FLOAT64 -> out.writeFloat64((Double) v);
      case UUID -> out.writeUuid((UUID) v);
      case STRING -> out.writeString((String) v, flexible);
      case BYTES -> out.writeBytes((byte[]) v, flexible);
      case RECORDS -> writeRecords(v, flexible, out);
    }
  }

  private static void writeRecords(Object v, boolean flexible, WireWriter out) {
    if (v == null) {
      out.writeLength(-1, flexible);
    } else if (v instanceof ExternalBytes external) {
      out.writeLength(external.sizeInBytes(), flexible);
      out.writeExternal(external);
    } else {
      ByteBuffer buf = (ByteBuffer) v;
      out.writeLength(buf.remaining(), flexible);
      out.writeRaw(buf);
    }
  }

  private static void writeArray(
      Field<?> f, Type.ArrayOf array, List<?> list, short version, boolean flexible,
      WireWriter out) {
    if (list == null) {
      Checks.argument(f.nullableIn(version), "%s is not nullable in version %s", f, version);
      out.writeLength(-1, flexible);
      return;
    }
    out.writeLength(list.size(), flexible);
    for (Object element : list) {
      writeValue(f, array.element(), element, version, flexible, out);
    }
  }

  public static Struct read(Schema schema, short version, boolean flexible, WireReader in) {
    Struct struct = new Struct(schema);
    List<Field<?>> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      Field<?> f = fields.get(i);
      if (f.presentIn(version) && !(flexible && f.taggedIn(version))) {
        struct.setRaw(i, readValue(f, f.type(), version, flexible, in));
      }
    }
    if (flexible) {
      readTaggedFields(struct, version, in);
    }
    return struct;
  }

  private static void readTaggedFields(Struct struct, short version, WireReader in) {
    int count = in.readUnsignedVarint();
    int previousTag = -1;
    for (int i = 0; i < count; i++) {
      int tag = in.readUnsignedVarint();
      if (tag <= previousTag) {
        throw new ProtocolException("tagged fields out of order: " + tag + " after " + previousTag);
      }
      previousTag = tag;
      int size = in.checkSize(in.readUnsignedVarint(), "tagged field");
      Field<?> f = struct.schema().taggedField(tag, version);
      if (f == null) {
        in.skip(size);
        continue;
      }
      WireReader value = new WireReader(in.readSlice(size));
      struct.setRaw(f.index(), readValue(f, f.type(), version, true, value));
      if (value.remaining() != 0) {
        throw new ProtocolException("tagged field " + f + " left " + value.remaining() + " bytes");
      }
    }
  }

  /** Skips a tagged-field section none of whose tags we know (e.g. a request header's). */
  public static void skipTaggedFields(WireReader in) {
    int count = in.readUnsignedVarint();
    for (int i = 0; i < count; i++) {
      in.readUnsignedVarint();
      in.skip(in.checkSize(in.readUnsignedVarint(), "tagged field"));
    }
  }

  private static Object readValue(
      Field<?> f, Type type, short version, boolean flexible, WireReader in) {
    if (type instanceof Type.ArrayOf array) {
      return readArray(f, array, version, flexible, in);
    }
    if (type instanceof Type.StructOf s) {
      return read(s.schema(), version, flexible, in);
    }
    Object v = switch ((Primitive) type) {
      case BOOLEAN -> in.readBoolean();
      case INT8 -> in.readInt8();
      case INT16 -> in.readInt16();
      case UINT16 -> in.readUint16();
      case INT32 -> in.readInt32();
      case UINT32 -> in.readUint32();
      case INT64 -> in.readInt64();
      case FLOAT64 -> in.readFloat64();
      case UUID -> in.readUuid();
      case STRING -> in.readString(flexible);
      case BYTES -> in.readBytes(flexible);
      case RECORDS -> readRecords(flexible, in);
    };
    if (v == null && !f.nullableIn(version)) {
      throw new ProtocolException(f + " is null but not nullable in version " + version);
    }
    return v;
  }

  private static ByteBuffer readRecords(boolean flexible, WireReader in) {
    int length = in.readBytesLength(flexible);
    return length < 0 ? null : in.readSlice(length);
  }

  private static List<Object> readArray(
      Field<?> f, Type.ArrayOf array, short version, boolean flexible, WireReader in) {
    int count = in.readArrayLength(flexible);
    if (count < 0) {
      if (!f.nullableIn(version)) {
        throw new ProtocolException(f + " is a null array but not nullable in version " + version);
      }
      return null;
    }
    // The count was checked against the remaining bytes; cap the up-front capacity anyway.
    List<Object> list = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      list.add(readValue(f, array.element(), version, flexible, in));
    }
    return list;
  }
}
