package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type;
import io.rill.protocol.schema.Type.Primitive;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Fills a struct with random values for every field its version carries: nulls where the
 * version allows them, tagged fields sometimes left at their default (so both "absent" and
 * "present" tags are exercised), arrays of 0-3 elements. Strings are unique per generator so
 * keyed collections in the oracle never merge two elements.
 */
final class RandomStructs {
  private static final int ARRAY_MAX = 3;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-é€";

  private final Random random;
  private int unique;

  RandomStructs(Random random) {
    this.random = random;
  }

  Struct generate(Schema schema, short version) {
    Struct struct = new Struct(schema);
    for (Field<?> f : schema.fields()) {
      if (!f.presentIn(version) || f.isRillExtension()) {
        continue; // Rill's own tags are unknown to the oracle (kafka-clients): left at default
      }
      if (f.taggedIn(version) && random.nextInt(3) == 0) {
        continue; // leave at default: not written
      }
      set(struct, f, value(f, f.type(), version));
    }
    return struct;
  }

  @SuppressWarnings("unchecked")
  private static <T> void set(Struct struct, Field<T> f, Object value) {
    struct.set(f, (T) value);
  }

  private Object value(Field<?> f, Type type, short version) {
    boolean nullable = f.nullableIn(version);
    if (type instanceof Type.ArrayOf array) {
      if (nullable && random.nextInt(5) == 0) {
        return null;
      }
      int n = random.nextInt(ARRAY_MAX + 1);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(element(f, array.element(), version));
      }
      return list;
    }
    if (type instanceof Type.StructOf s) {
      return generate(s.schema(), version);
    }
    if (nullable && random.nextInt(5) == 0) {
      return null;
    }
    return primitive((Primitive) type);
  }

  private Object element(Field<?> f, Type type, short version) {
    if (type instanceof Type.StructOf s) {
      return generate(s.schema(), version);
    }
    return primitive((Primitive) type);
  }

  private Object primitive(Primitive p) {
    return switch (p) {
      case BOOLEAN -> random.nextBoolean();
      case INT8 -> (byte) random.nextInt();
      case INT16 -> (short) random.nextInt();
      case UINT16 -> random.nextInt(65536);
      case INT32 -> random.nextInt();
      case UINT32 -> random.nextLong() & 0xffffffffL;
      case INT64 -> random.nextLong();
      case FLOAT64 -> random.nextDouble();
      case UUID -> new UUID(random.nextLong(), random.nextLong());
      case STRING -> string();
      case BYTES -> bytes();
      case RECORDS -> ByteBuffer.wrap(bytes());
    };
  }

  private String string() {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.append('#').append(unique++).toString();
  }

  private byte[] bytes() {
    byte[] b = new byte[random.nextInt(20)];
    random.nextBytes(b);
    return b;
  }
}
