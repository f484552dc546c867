package io.rill.protocol.schema;

/**
 * The wire type of a {@link Field}. Whether strings, bytes and arrays use the classic or the
 * compact (flexible, KIP-482) encoding is not part of the type: it follows the message version.
 */
public sealed interface Type permits Type.Primitive, Type.ArrayOf, Type.StructOf {

  /** Scalar types, strings and byte sequences. */
  enum Primitive implements Type {
    BOOLEAN,
    INT8,
    INT16,
    /** Held as an {@code Integer}. */
    UINT16,
    INT32,
    /** Held as a {@code Long}. */
    UINT32,
    INT64,
    FLOAT64,
    UUID,
    STRING,
    /** Held as a {@code byte[]}: copied out, so it outlives the request buffer. */
    BYTES,
    /**
     * Record batches: decoded as a zero-copy {@code ByteBuffer} slice of the request; encoded
     * from a {@code ByteBuffer} or from {@link io.rill.protocol.types.ExternalBytes}.
     */
    RECORDS
  }

  /** An array of {@code element}: a primitive or a struct. */
  record ArrayOf(Type element) implements Type {}

  /** A nested struct held inline (not in an array). */
  record StructOf(Schema schema) implements Type {}
}
