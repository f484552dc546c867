package io.rill.protocol.schema;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.schema.Type.Primitive;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Every value goes through {@link Type#read} / {@link Type#write}, a virtual call with a
 * dozen receiver classes, which the JIT leaves as a call: each type's reader compiles on its own.
 * When this class dispatched with a switch and static recursion instead, C2 inlined the whole
 * recursive decoder into one 4-7 KB unit and recompiled it (0.2-0.3 s of CPU each time) whenever
 * a new message shape arrived (measured with JFR; docs/performance.md).
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
        f.type().write(f, struct.getRaw(i), version, flexible, out);
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
        f.type().write(f, struct.getRaw(f.index()), version, true, value);
        ByteBuffer bytes = value.toByteBuffer();
        out.writeUnsignedVarint(f.tag()).writeUnsignedVarint(bytes.remaining()).writeRaw(bytes);
      }
    }
  }

  private static boolean isWrittenTagged(Field<?> f, Struct struct, short version) {
    return f.taggedIn(version) && !Struct.valueEquals(struct.getRaw(f.index()), f.newDefault());
  }

  static void writeArray(
      Field<?> f, Type.ArrayOf array, List<?> list, short version, boolean flexible,
      WireWriter out) {
    if (list == null) {
      Checks.argument(f.nullableIn(version), "%s is not nullable in version %s", f, version);
      out.writeLength(-1, flexible);
      return;
    }
    out.writeLength(list.size(), flexible);
    Type element = array.element();
    for (Object value : list) {
      element.write(f, value, version, flexible, out);
    }
  }

  static void writePrimitive(
      Field<?> f, Type.Primitive type, Object v, short version, boolean flexible, WireWriter out) {
    if (v == null) {
      Checks.argument(f.nullableIn(version), "%s is not nullable in version %s", f, version);
    }
    type.encode(out, v, flexible);
  }

  static void writeStruct(Field<?> f, Object v, short version, boolean flexible, WireWriter out) {
    Checks.argument(v != null, "%s: null struct", f);
    write((Struct) v, version, flexible, out);
  }

  public static Struct read(Schema schema, short version, boolean flexible, WireReader in) {
    Struct struct = new Struct(schema);
    List<Field<?>> fields = schema.fields();
    for (int i = 0; i < fields.size(); i++) {
      Field<?> f = fields.get(i);
      if (f.presentIn(version) && !(flexible && f.taggedIn(version))) {
        struct.setRaw(i, f.type().read(f, version, flexible, in));
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
      struct.setRaw(f.index(), f.type().read(f, version, true, value));
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

  static Object readPrimitive(
      Field<?> f, Type.Primitive type, short version, boolean flexible, WireReader in) {
    Object v = type.decode(in, flexible);
    if (v == null && !f.nullableIn(version)) {
      throw new ProtocolException(f + " is null but not nullable in version " + version);
    }
    return v;
  }

  static List<Object> readArray(
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
    Type element = array.element();
    for (int i = 0; i < count; i++) {
      list.add(element.read(f, version, flexible, in));
    }
    return list;
  }
}
