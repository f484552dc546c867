package io.rill.protocol.schema;

import io.rill.protocol.types.ExternalBytes;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import java.nio.ByteBuffer;

/**
 * The wire type of a {@link Field}. Whether strings, bytes and arrays use the classic or the
 * compact (flexible, KIP-482) encoding is not part of the type: it follows the message version.
 */
public sealed interface Type permits Type.Primitive, Type.ArrayOf, Type.StructOf {

  /** Decodes one value of {@code field} at {@code version}; see {@link Codec}. */
  Object read(Field<?> field, short version, boolean flexible, WireReader in);

  /** Encodes {@code value} of {@code field} at {@code version}; see {@link Codec}. */
  void write(Field<?> field, Object value, short version, boolean flexible, WireWriter out);

  /**
   * Scalar types, strings and byte sequences. Each constant has its own class (its decoder and
   * encoder), so {@link Codec}'s per-value call stays a real call; see there.
   */
  enum Primitive implements Type {
    BOOLEAN {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readBoolean();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeBoolean((Boolean) v);
      }
    },
    INT8 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readInt8();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt8((Byte) v);
      }
    },
    INT16 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readInt16();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt16((Short) v);
      }
    },
    /** Held as an {@code Integer}. */
    UINT16 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readUint16();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt16((short) (int) (Integer) v);
      }
    },
    INT32 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readInt32();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt32((Integer) v);
      }
    },
    /** Held as a {@code Long}. */
    UINT32 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readUint32();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt32((int) (long) (Long) v);
      }
    },
    INT64 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readInt64();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeInt64((Long) v);
      }
    },
    FLOAT64 {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readFloat64();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeFloat64((Double) v);
      }
    },
    UUID {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readUuid();
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeUuid((java.util.UUID) v);
      }
    },
    STRING {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readString(flexible);
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeString((String) v, flexible);
      }
    },
    /** Held as a {@code byte[]}: copied out, so it outlives the request buffer. */
    BYTES {
      @Override Object decode(WireReader in, boolean flexible) {
        return in.readBytes(flexible);
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
        out.writeBytes((byte[]) v, flexible);
      }
    },
    /**
     * Record batches: decoded as a zero-copy {@code ByteBuffer} slice of the request; encoded
     * from a {@code ByteBuffer} or from {@link ExternalBytes}.
     */
    RECORDS {
      @Override Object decode(WireReader in, boolean flexible) {
        int length = in.readBytesLength(flexible);
        return length < 0 ? null : in.readSlice(length);
      }

      @Override void encode(WireWriter out, Object v, boolean flexible) {
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
    };

    @Override
    public Object read(Field<?> field, short version, boolean flexible, WireReader in) {
      return Codec.readPrimitive(field, this, version, flexible, in);
    }

    @Override
    public void write(Field<?> field, Object value, short version, boolean flexible,
        WireWriter out) {
      Codec.writePrimitive(field, this, value, version, flexible, out);
    }

    /** Reads one value; null only where the encoding allows it (the codec checks nullability). */
    abstract Object decode(WireReader in, boolean flexible);

    /** Writes {@code v}, which is null only if the field is nullable (the codec checked). */
    abstract void encode(WireWriter out, Object v, boolean flexible);
  }

  /** An array of {@code element}: a primitive or a struct. */
  record ArrayOf(Type element) implements Type {
    @Override
    public Object read(Field<?> field, short version, boolean flexible, WireReader in) {
      return Codec.readArray(field, this, version, flexible, in);
    }

    @Override
    public void write(Field<?> field, Object value, short version, boolean flexible,
        WireWriter out) {
      Codec.writeArray(field, this, (java.util.List<?>) value, version, flexible, out);
    }
  }

  /** A nested struct held inline (not in an array). */
  record StructOf(Schema schema) implements Type {
    @Override
    public Object read(Field<?> field, short version, boolean flexible, WireReader in) {
      return Codec.read(schema, version, flexible, in);
    }

    @Override
    public void write(Field<?> field, Object value, short version, boolean flexible,
        WireWriter out) {
      Codec.writeStruct(field, value, version, flexible, out);
    }
  }
}
