package io.rill.protocol.schema;

import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ordered fields of one message or nested struct, across all of its versions. Fields a
 * version lacks are skipped on the wire; tagged fields of a flexible version travel in the
 * struct's tagged-field section, ordered by tag.
 *
 * <p>Immutable once built; shared by all threads.
 */
public final class Schema {
  private final String name;
  private final List<Field<?>> fields;
  private final List<Field<?>> taggedByTag;

  private Schema(String name, Field<?>[] fields) {
    this.name = name;
    this.fields = List.of(fields);
    List<Field<?>> tagged = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      for (int j = 0; j < i; j++) {
        Checks.state(!fields[j].name().equals(fields[i].name()), "%s: duplicate field %s",
            name, fields[i].name());
      }
      fields[i].seal(this, i);
      if (fields[i].tag() >= 0) {
        tagged.add(fields[i]);
      }
    }
    tagged.sort(Comparator.comparingInt(Field::tag));
    for (int i = 1; i < tagged.size(); i++) {
      Checks.state(tagged.get(i - 1).tag() != tagged.get(i).tag(), "%s: duplicate tag %s", name,
          tagged.get(i).tag());
    }
    this.taggedByTag = List.copyOf(tagged);
  }

  /** A schema of {@code fields} in wire order; seals each field into it. */
  public static Schema of(String name, Field<?>... fields) {
    return new Schema(name, fields);
  }

  public String name() {
    return name;
  }

  public List<Field<?>> fields() {
    return fields;
  }

  /** Fields that are tagged in some version, by ascending tag. */
  public List<Field<?>> taggedFields() {
    return taggedByTag;
  }

  /** The field that carries {@code tag} at {@code version}, or null if none. */
  public Field<?> taggedField(int tag, short version) {
    for (Field<?> f : taggedByTag) {
      if (f.tag() == tag && f.taggedIn(version)) {
        return f;
      }
    }
    return null;
  }

  public Field<?> field(String fieldName) {
    for (Field<?> f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    throw new IllegalArgumentException(name + " has no field " + fieldName);
  }

  @Override
  public String toString() {
    return name;
  }
}
