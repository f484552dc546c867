package io.rill.broker.log;

import io.rill.protocol.record.InvalidRecordException;
import io.rill.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery scan of one segment file: reads it front to back in large chunks and accepts
 * batches while each is whole, passes {@link RecordBatch#validate} (magic, length, record count
 * vs offset delta, CRC-32C) and continues the offset order. The first batch that fails marks
 * the end of the valid prefix; the caller truncates there. Everything after the first bad byte
 * is dropped, even if later bytes happen to parse: a torn write leaves no trustworthy framing.
 *
 * <p>Stateless; any thread. Allocates one read buffer per scan.
 */
final class SegmentRecovery {
  static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);
  /** Read chunk size: large enough to amortise syscalls, small enough for many parallel scans. */
  static final int READ_BUFFER_BYTES = 8 * 1024 * 1024;

  private SegmentRecovery() {}

  /** Where the valid prefix ends and the offset after its last batch. */
  record Result(int validBytes, long nextOffset) {}

  /** Sees each valid batch and its file position, in order. */
  interface BatchSink {
    void accept(RecordBatch batch, int position) throws IOException;
  }

  /** Sees each recovered batch's leader epoch and base offset, to rebuild the epoch cache. */
  interface EpochSink {
    void accept(int epoch, long baseOffset) throws IOException;

    EpochSink NONE = (epoch, baseOffset) -> { };
  }

  /** Sees each valid batch and its file position, in order; returns false to stop before it. */
  interface BatchVisitor {
    boolean visit(RecordBatch batch, int position) throws IOException;
  }

  static Result scan(FileChannel channel, Path file, long baseOffset, int fileBytes,
      long offsetLimit, BatchSink sink) throws IOException {
    return visit(channel, file, baseOffset, fileBytes, offsetLimit, (batch, position) -> {
      sink.accept(batch, position);
      return true;
    });
  }

  /**
   * As {@link #scan}, but the visitor may stop early (the result then ends before the batch it
   * refused, and nothing is logged). The cleaner reads segments this way.
   */
  static Result visit(FileChannel channel, Path file, long baseOffset, int fileBytes,
      long offsetLimit, BatchVisitor visitor) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.min(READ_BUFFER_BYTES,
        Math.max(fileBytes, RecordBatch.RECORD_BATCH_OVERHEAD)));
    RecordBatch batch = RecordBatch.at(buffer, 0);
    int bufferStart = 0; // file position of buffer[0]
    int bufferBytes = 0;
    int position = 0;
    long nextOffset = baseOffset;
    String problem = null;
    while (position < fileBytes) {
      int inBuffer = position - bufferStart;
      int available = bufferBytes - inBuffer;
      int remaining = fileBytes - position;
      if (available < RecordBatch.RECORD_BATCH_OVERHEAD) {
        if (remaining < RecordBatch.RECORD_BATCH_OVERHEAD) {
          problem = "torn batch header of " + remaining + " bytes at the end of the file";
          break;
        }
        bufferBytes = fill(channel, file, buffer, position, Math.min(remaining, buffer.capacity()));
        bufferStart = position;
        continue;
      }
      int size = RecordBatch.sizeAt(buffer, inBuffer, bufferBytes);
      if (size < RecordBatch.RECORD_BATCH_OVERHEAD) {
        problem = "batch size " + size + " is below the " + RecordBatch.RECORD_BATCH_OVERHEAD
            + "-byte header";
        break;
      }
      if (size > remaining) {
        problem = "batch of " + size + " bytes runs past the end of the file (" + remaining
            + " bytes left)";
        break;
      }
      if (size > available) {
        if (size > buffer.capacity()) {
          buffer = ByteBuffer.allocate(size); // one oversized batch; bounded by the file size
        }
        bufferBytes = fill(channel, file, buffer, position, Math.min(remaining, buffer.capacity()));
        bufferStart = position;
        continue;
      }
      batch.moveTo(buffer, inBuffer);
      problem = check(batch, inBuffer + size, nextOffset, baseOffset, offsetLimit);
      if (problem != null) {
        break;
      }
      if (!visitor.visit(batch, position)) {
        break;
      }
      nextOffset = batch.lastOffset() + 1;
      position += size;
    }
    if (problem != null) {
      LOG.warn("Recovery of {}: truncating {} bytes at position {}: {}", file,
          fileBytes - position, position, problem);
    }
    return new Result(position, nextOffset);
  }

  private static String check(RecordBatch batch, int limit, long nextOffset, long baseOffset,
      long offsetLimit) {
    try {
      batch.validate(limit);
    } catch (InvalidRecordException e) {
      return e.getMessage();
    }
    if (batch.baseOffset() < nextOffset) {
      return "base offset " + batch.baseOffset() + " below the expected " + nextOffset;
    }
    if (batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
      return "last offset " + batch.lastOffset() + " overflows segment base " + baseOffset;
    }
    if (batch.lastOffset() >= offsetLimit) {
      return "last offset " + batch.lastOffset() + " reaches the next segment at " + offsetLimit;
    }
    return null;
  }

  private static int fill(FileChannel channel, Path file, ByteBuffer buffer, long position,
      int bytes) throws IOException {
    buffer.clear().limit(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("file " + file + " ended at " + (position + buffer.position())
            + " while recovery expected " + (position + bytes) + " bytes");
      }
    }
    buffer.clear();
    return bytes;
  }
}
