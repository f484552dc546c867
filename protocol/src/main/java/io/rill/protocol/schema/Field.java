package io.rill.protocol.schema;

import io.rill.protocol.schema.Type.Primitive;
import io.rill.protocol.util.Checks;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/**
 * One field of a message {@link Schema}: its name, wire type, the versions it exists in, the
 * versions in which it may be null, whether it travels as a tagged field (KIP-482) and its
 * default — the value a decoder gives it when the version lacks it, and the value a tagged field
 * must differ from to be written at all.
 *
 * <p>A field is configured fluently while its class initialises, then sealed by the one {@link
 * Schema} it belongs to, which gives it its slot. Typed so that {@code struct.get(FIELD)} needs
 * no cast at the call site.
 *
 * @param <T> the Java type of the value: Boolean, Byte, Short, Integer (int32, uint16), Long
 *     (int64, uint32), Double, UUID, String, byte[], ByteBuffer (or ExternalBytes) for records,
 *     List for arrays, Struct for nested structs
 */
public final class Field<T> {
  private final String name;
  private final Type type;
  private Versions versions = Versions.ALL;
  private Versions nullableVersions = Versions.NONE;
  private Versions taggedVersions = Versions.NONE;
  private int tag = -1;
  private Object defaultValue;
  private boolean defaultSet;
  private Schema owner;
  private int index = -1;

  private Field(String name, Type type) {
    this.name = name;
    this.type = type;
  }

  public static Field<Boolean> bool(String name) {
    return new Field<>(name, Primitive.BOOLEAN);
  }

  public static Field<Byte> int8(String name) {
    return new Field<>(name, Primitive.INT8);
  }

  public static Field<Short> int16(String name) {
    return new Field<>(name, Primitive.INT16);
  }

  public static Field<Integer> uint16(String name) {
    return new Field<>(name, Primitive.UINT16);
  }

  public static Field<Integer> int32(String name) {
    return new Field<>(name, Primitive.INT32);
  }

  public static Field<Long> uint32(String name) {
    return new Field<>(name, Primitive.UINT32);
  }

  public static Field<Long> int64(String name) {
    return new Field<>(name, Primitive.INT64);
  }

  public static Field<Double> float64(String name) {
    return new Field<>(name, Primitive.FLOAT64);
  }

  public static Field<UUID> uuid(String name) {
    return new Field<>(name, Primitive.UUID);
  }

  public static Field<String> string(String name) {
    return new Field<>(name, Primitive.STRING);
  }

  public static Field<byte[]> bytes(String name) {
    return new Field<>(name, Primitive.BYTES);
  }

  /** Record batches; the value is a ByteBuffer (decoded) or ExternalBytes (to encode). */
  public static Field<Object> records(String name) {
    return new Field<>(name, Primitive.RECORDS);
  }

  public static Field<List<Struct>> array(String name, Schema element) {
    return new Field<>(name, new Type.ArrayOf(new Type.StructOf(element)));
  }

  /** An array of a primitive type, e.g. {@code arrayOf("ids", Primitive.INT32)}. */
  public static <E> Field<List<E>> arrayOf(String name, Primitive element) {
    return new Field<>(name, new Type.ArrayOf(element));
  }

  public static Field<Struct> struct(String name, Schema schema) {
    return new Field<>(name, new Type.StructOf(schema));
  }

  private Field<T> mutate() {
    Checks.state(owner == null, "field %s is sealed in schema %s", name, owner);
    return this;
  }

  /** The field exists from {@code lowest} on. */
  public Field<T> since(int lowest) {
    mutate().versions = Versions.since(lowest);
    return this;
  }

  /** The field exists in {@code lowest..highest} only. */
  public Field<T> versions(int lowest, int highest) {
    mutate().versions = Versions.range(lowest, highest);
    return this;
  }

  /** The field may be null from {@code lowest} on. */
  public Field<T> nullableSince(int lowest) {
    mutate().nullableVersions = Versions.since(lowest);
    return this;
  }

  /**
   * Tags from here up are Rill's own extensions of Kafka's messages: Kafka's clients keep them as
   * unknown tagged fields and read the rest of the message as usual (KIP-482), and Kafka's own
   * tags are small numbers counted up from 0, so the two never meet.
   */
  public static final int RILL_TAGS_FROM = 10_000;

  /** The field is tagged with {@code tag} from {@code lowest} on (and exists only there). */
  public Field<T> tagged(int tag, int lowest) {
    mutate().tag = tag;
    taggedVersions = Versions.since(lowest);
    versions = Versions.since(lowest);
    return this;
  }

  public Field<T> defaultsTo(T value) {
    mutate().defaultValue = value;
    defaultSet = true;
    return this;
  }

  void seal(Schema schema, int slot) {
    mutate();
    Checks.state(!(type == Primitive.RECORDS && !taggedVersions.isEmpty()), "tagged records");
    this.owner = schema;
    this.index = slot;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Versions versions() {
    return versions;
  }

  public Versions nullableVersions() {
    return nullableVersions;
  }

  public Versions taggedVersions() {
    return taggedVersions;
  }

  public int tag() {
    return tag;
  }

  /** Whether this is a tagged field of Rill's own, which Kafka's clients do not know. */
  public boolean isRillExtension() {
    return !taggedVersions.isEmpty() && tag >= RILL_TAGS_FROM;
  }

  Schema owner() {
    return owner;
  }

  int index() {
    return index;
  }

  public boolean presentIn(short version) {
    return versions.contains(version);
  }

  public boolean nullableIn(short version) {
    return nullableVersions.contains(version);
  }

  public boolean taggedIn(short version) {
    return taggedVersions.contains(version);
  }

  /**
   * A fresh default value: the declared one, else 0 / false / zero UUID / "" / empty bytes /
   * empty list / a struct of defaults. Nullable strings, bytes and records default to null.
   */
  public Object newDefault() {
    if (defaultSet) {
      return defaultValue;
    }
    if (type instanceof Type.ArrayOf) {
      return new java.util.ArrayList<>();
    }
    if (type instanceof Type.StructOf s) {
      return new Struct(s.schema());
    }
    return switch ((Primitive) type) {
      case BOOLEAN -> Boolean.FALSE;
      case INT8 -> (byte) 0;
      case INT16 -> (short) 0;
      case UINT16, INT32 -> 0;
      case UINT32, INT64 -> 0L;
      case FLOAT64 -> 0.0;
      case UUID -> Uuids.ZERO;
      case STRING -> nullableVersions.isEmpty() ? "" : null;
      case BYTES -> nullableVersions.isEmpty() ? new byte[0] : null;
      case RECORDS -> nullableVersions.isEmpty() ? ByteBuffer.allocate(0) : null;
    };
  }

  @Override
  public String toString() {
    return (owner == null ? "?" : owner.name()) + "." + name;
  }
}
