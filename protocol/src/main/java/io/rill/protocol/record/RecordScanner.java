package io.rill.protocol.record;

import io.rill.protocol.compress.Compression;
import io.rill.protocol.compress.Decompressor;
import java.nio.ByteBuffer;

/**
 * A reusable cursor over the records of one batch for readers that need only each record's
 * offset, its key and whether it has a value: the log cleaner, which reads every record of a
 * dirty log twice. It reads the fields of {@link RecordFormat} up to the value's length and skips
 * the value and the headers by their lengths, so it allocates nothing per record: the key is a
 * position and a length in {@link #buffer()}. {@link #record()} decodes the current record in
 * full, for the few a caller keeps.
 *
 * <p>An uncompressed batch is read in place (the batch's buffer must not change meanwhile). A
 * compressed batch streams through a bounded {@link Decompressor}, record by record, into one
 * array that the scanner keeps for the next batch: memory is the batch's decompressed records,
 * never more than the decompression limit.
 *
 * <p>It checks what {@link RecordIterator} and {@link RecordFormat#read} check, in the same
 * order, and fails with {@link InvalidRecordException} where they would: every length a record
 * claims fits the bytes that are there, header counts are possible, header keys are not null, no
 * byte follows a record's last header, the batch holds exactly RecordCount records and nothing
 * after them. It does not check the CRC: that is {@link RecordBatch#validate}. (Header keys are
 * not decoded as UTF-8; neither reader rejects malformed UTF-8, which decodes to U+FFFD.)
 *
 * <pre>
 * per record, what is read (r) and what is skipped (s):
 *   Length r, Attributes s, TimestampDelta s (varlong), OffsetDelta r, KeyLength r, Key r,
 *   ValueLength r, Value s, HeaderCount r, per header: KeyLength r, Key s, ValueLength r, Value s
 * </pre>
 *
 * <p>Not thread-safe: one per reading thread.
 */
public final class RecordScanner {
  /** A decompression array larger than this is dropped after its batch, not kept for the next. */
  static final int RETAINED_ARRAY_BYTES_MAX = 4 << 20;
  private static final int INITIAL_ARRAY_BYTES = 64 << 10;

  private RecordBatch batch;
  private long baseOffset;
  private int count;
  private int returned;
  /** Where the records lie: the batch's own buffer, or {@link #inflated} wrapped. */
  private ByteBuffer buffer;
  /** Uncompressed: the batch's end in {@link #buffer}. Compressed: the bytes inflated so far. */
  private int end;
  /** The next record's Length field in {@link #buffer}. */
  private int next;
  private boolean compressed;
  private Decompressor source;
  private byte[] inflated = new byte[0];
  private ByteBuffer inflatedView = ByteBuffer.wrap(inflated);
  private final int maxDecompressedBytes;

  /** The current record: bounds of its body (after Length) and of its fields. */
  private int recordStart;
  private int bodyStart;
  private int bodyEnd;
  private int offsetDelta;
  private int keyPosition;
  private int keyLength;
  private int valueLength;
  /** Read position inside the current record's body. */
  private int at;

  public RecordScanner() {
    this(Compression.DEFAULT_MAX_DECOMPRESSED_BYTES);
  }

  public RecordScanner(int maxDecompressedBytes) {
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  /**
   * Starts on {@code batch}, which must lie whole in its buffer up to the buffer's limit; closes
   * whatever the previous batch left open.
   */
  public RecordScanner reset(RecordBatch batch) {
    close();
    ByteBuffer batchBuffer = batch.buffer();
    int start = batch.start();
    this.count = RecordIterator.checkWhole(batch);
    this.batch = batch;
    this.baseOffset = batch.baseOffset();
    this.returned = 0;
    int batchEnd = start + batch.sizeInBytes();
    int recordsStart = start + RecordBatch.RECORDS_OFFSET;
    this.compressed = batch.compression() != CompressionType.NONE;
    if (!compressed) {
      this.buffer = batchBuffer;
      this.next = recordsStart;
      this.end = batchEnd;
    } else {
      if (inflated.length > RETAINED_ARRAY_BYTES_MAX) {
        inflated = new byte[0];
        inflatedView = ByteBuffer.wrap(inflated);
      }
      this.buffer = inflatedView;
      this.next = 0;
      this.end = 0;
      this.source = count == 0 ? null : Compression.decompress(batch.compression(),
          batchBuffer.duplicate().limit(batchEnd).position(recordsStart).slice(),
          maxDecompressedBytes);
    }
    return this;
  }

  /** The batch being scanned. */
  public RecordBatch batch() {
    return batch;
  }

  /**
   * Moves to the next record; false after the last, once it has checked that nothing follows
   * it.
   */
  public boolean next() {
    if (returned == count) {
      return false;
    }
    try {
      if (source != null) {
        inflateNext();
      }
      parse();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    returned++;
    if (returned == count) {
      finish();
    }
    return true;
  }

  /** The current record's offset. */
  public long offset() {
    return baseOffset + offsetDelta;
  }

  public int offsetDelta() {
    return offsetDelta;
  }

  public boolean hasKey() {
    return keyLength >= 0;
  }

  /** The buffer that holds the current key (absolute positions; do not move its position). */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** Where the current key starts in {@link #buffer()}; meaningless for a null key. */
  public int keyPosition() {
    return keyPosition;
  }

  /** The current key's length, -1 for a null key. */
  public int keyLength() {
    return keyLength;
  }

  public boolean hasValue() {
    return valueLength >= 0;
  }

  /**
   * The position of the current record (its Length field) in {@link #buffer()}: valid until the
   * next {@link #reset}, for {@link #recordAt}.
   */
  public int recordPosition() {
    return recordStart;
  }

  /** The current record decoded in full. */
  public Record record() {
    return decode(recordStart, bodyStart, bodyEnd);
  }

  /**
   * The record of this batch that {@link #recordPosition()} placed at {@code position}, decoded
   * in full (it was checked when the scan passed it).
   */
  public Record recordAt(int position) {
    int savedAt = at;
    int savedBodyEnd = bodyEnd;
    at = position;
    bodyEnd = end;
    int length = varint();
    int start = at;
    at = savedAt;
    bodyEnd = savedBodyEnd;
    return decode(position, start, start + length);
  }

  private Record decode(int position, int start, int stop) {
    ByteBuffer body = buffer.duplicate().limit(stop).position(start);
    if (compressed) {
      // Compressed: the array is reused for the next batch, and a Record may outlive that.
      ByteBuffer copy = ByteBuffer.allocate(stop - start);
      copy.put(body).flip();
      body = copy;
    }
    return RecordFormat.read(body, stop - position, batch);
  }

  /** Closes the decompressor of a batch left before its end. */
  public void close() {
    if (source != null) {
      Decompressor s = source;
      source = null;
      s.close();
    }
  }

  /** Appends the next record, Length field included, to {@link #inflated}. */
  private void inflateNext() {
    int length = RecordFormat.readVarint(source);
    if (length < 0 || length > source.remainingBudget()) {
      throw new InvalidRecordException("record " + returned + " of " + count + " claims "
          + length + " bytes, beyond the decompression limit");
    }
    int lengthBytes = sizeOfVarint(length);
    ensureInflated(end + lengthBytes + length);
    // Re-encode the length where the record starts, so the array reads like an uncompressed
    // records section.
    int zigzag = (length << 1) ^ (length >> 31);
    int p = end;
    while ((zigzag & ~0x7f) != 0) {
      inflated[p++] = (byte) ((zigzag & 0x7f) | 0x80);
      zigzag >>>= 7;
    }
    inflated[p++] = (byte) zigzag;
    source.readFully(inflated, p, length);
    end = p + length;
  }

  private void ensureInflated(long bytes) {
    if (bytes <= inflated.length) {
      return;
    }
    long grown = Math.max(bytes, Math.max(INITIAL_ARRAY_BYTES, 2L * inflated.length));
    grown = Math.min(grown, (long) maxDecompressedBytes + 2 * RecordFormat.MAX_VARINT_BYTES);
    if (grown < bytes) {
      throw new InvalidRecordException("decompressed records pass the limit of "
          + maxDecompressedBytes + " bytes");
    }
    byte[] bigger = new byte[(int) grown];
    System.arraycopy(inflated, 0, bigger, 0, end);
    inflated = bigger;
    inflatedView = ByteBuffer.wrap(inflated);
    buffer = inflatedView;
  }

  /** Reads the record at {@link #next}: as RecordIterator.nextInPlace, then RecordFormat.read. */
  private void parse() {
    recordStart = next;
    at = next;
    bodyEnd = end; // bounds the Length varint itself
    int length;
    try {
      length = varint();
    } catch (InvalidRecordException e) {
      throw new InvalidRecordException(
          "record " + returned + " of " + count + ": truncated length", e);
    }
    if (length < 0 || length > end - at) {
      throw new InvalidRecordException("record " + returned + " of " + count + " claims "
          + length + " bytes, " + (end - at) + " remain in the batch");
    }
    bodyStart = at;
    bodyEnd = at + length;
    if (length < RecordFormat.MIN_BODY_BYTES) {
      throw new InvalidRecordException("record body of " + length + " bytes");
    }
    at++; // attributes
    skipVarlong(); // timestamp delta
    offsetDelta = varint();
    keyLength = varint();
    RecordFormat.checkLength(keyLength, bodyEnd - at, "key");
    keyPosition = at;
    at += Math.max(0, keyLength);
    valueLength = varint();
    RecordFormat.checkLength(valueLength, bodyEnd - at, "value");
    at += Math.max(0, valueLength);
    skipHeaders();
    if (at != bodyEnd) {
      throw new InvalidRecordException(
          "record has " + (bodyEnd - at) + " bytes past its last header");
    }
    next = bodyEnd;
  }

  private void skipHeaders() {
    int headers = varint();
    RecordFormat.checkHeaderCount(headers, bodyEnd - at);
    for (int i = 0; i < headers; i++) {
      int keyBytes = varint();
      RecordFormat.checkLength(keyBytes, bodyEnd - at, "header key");
      if (keyBytes < 0) {
        throw new InvalidRecordException("null header key");
      }
      at += keyBytes;
      int valueBytes = varint();
      RecordFormat.checkLength(valueBytes, bodyEnd - at, "header value");
      at += Math.max(0, valueBytes);
    }
  }

  /** After the last record: no byte may follow it (the same check as RecordIterator's). */
  private void finish() {
    if (source == null) {
      if (next != end) {
        throw new InvalidRecordException(
            (end - next) + " bytes follow the last of " + count + " records");
      }
      return;
    }
    try {
      if (!source.atEnd()) {
        throw new InvalidRecordException(
            "decompressed data continues past the last of " + count + " records");
      }
    } finally {
      close();
    }
  }

  /** A zig-zag varint at {@link #at}, within the current body; as Varints.readVarint. */
  private int varint() {
    int raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at >= bodyEnd) {
        throw new InvalidRecordException("malformed record: truncated varint");
      }
      byte b = buffer.get(at++);
      raw |= (b & 0x7f) << shift;
      if (b >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new InvalidRecordException("malformed record: varint longer than 5 bytes");
  }

  /** Skips a varlong at {@link #at}, within the current body; as Varints.readVarlong. */
  private void skipVarlong() {
    for (int i = 0; i < 10; i++) {
      if (at >= bodyEnd) {
        throw new InvalidRecordException("malformed record: truncated varlong");
      }
      if (buffer.get(at++) >= 0) {
        return;
      }
    }
    throw new InvalidRecordException("malformed record: varlong longer than 10 bytes");
  }

  private static int sizeOfVarint(int value) {
    int zigzag = (value << 1) ^ (value >> 31);
    int bytes = 1;
    while ((zigzag & ~0x7f) != 0) {
      bytes++;
      zigzag >>>= 7;
    }
    return bytes;
  }
}
