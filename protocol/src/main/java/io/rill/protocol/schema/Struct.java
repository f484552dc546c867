package io.rill.protocol.schema;

import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The values of one message or nested struct, one slot per field of its {@link Schema}. A new
 * struct holds every field's default; decoding fills the fields its version carries.
 *
 * <p>Access is typed by the field constant: {@code struct.get(ProduceRequest.ACKS)}. A field of
 * another schema is refused (always-on check), so a mix-up fails at once rather than reading a
 * wrong slot. Not thread-safe; a struct belongs to the request or response being built.
 */
public final class Struct {
  private final Schema schema;
  private final Object[] values;

  public Struct(Schema schema) {
    this.schema = schema;
    List<Field<?>> fields = schema.fields();
    this.values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = fields.get(i).newDefault();
    }
  }

  public Schema schema() {
    return schema;
  }

  private int slot(Field<?> field) {
    Checks.argument(field.owner() == schema, "%s is not a field of %s", field, schema);
    return field.index();
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Field<T> field) {
    return (T) values[slot(field)];
  }

  public <T> Struct set(Field<T> field, T value) {
    values[slot(field)] = value;
    return this;
  }

  public int getInt(Field<Integer> field) {
    return get(field);
  }

  public long getLong(Field<Long> field) {
    return get(field);
  }

  public short getShort(Field<Short> field) {
    return get(field);
  }

  public boolean getBool(Field<Boolean> field) {
    return get(field);
  }

  /** Appends a new struct of the array's element schema and returns it for filling. */
  public Struct addElement(Field<List<Struct>> arrayField) {
    Type.ArrayOf array = (Type.ArrayOf) arrayField.type();
    Struct element = new Struct(((Type.StructOf) array.element()).schema());
    get(arrayField).add(element);
    return element;
  }

  Object getRaw(int slot) {
    return values[slot];
  }

  void setRaw(int slot, Object value) {
    values[slot] = value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Struct other) || other.schema != schema) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (!valueEquals(values[i], other.values[i])) {
        return false;
      }
    }
    return true;
  }

  static boolean valueEquals(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!valueEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  @Override
  public int hashCode() {
    return schema.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(schema.name()).append('(');
    List<Field<?>> fields = schema.fields();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(fields.get(i).name()).append('=');
      Object v = values[i];
      if (v instanceof byte[] b) {
        sb.append("bytes[").append(b.length).append(']');
      } else if (v instanceof ByteBuffer b) {
        sb.append("buffer[").append(b.remaining()).append(']');
      } else {
        sb.append(v);
      }
    }
    return sb.append(')').toString();
  }
}
