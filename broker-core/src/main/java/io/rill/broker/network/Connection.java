package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.LongConsumer;

/**
 * One client connection: its socket, the frame being read and the response being written.
 *
 * <p>Thread ownership: created, used and closed only by its {@link Processor}'s thread.
 *
 * <p>Invariants: at most one request per connection is past {@link State#READING} (one in
 * flight, so responses leave in request order); while not READING the key has no OP_READ
 * interest (muted), so no byte of the next frame is read before the response is written;
 * {@code receiving != null} only in READING, after a valid size prefix; {@code send != null}
 * exactly in SENDING.
 */
final class Connection {
  /** Where the connection is in its read → handle → write cycle. */
  enum State {
    /** Reading a frame; OP_READ on. */
    READING,
    /** A complete frame waits for room in the request queue; muted. */
    QUEUEING,
    /** The request is with a handler; muted. */
    IN_FLIGHT,
    /** Writing the response; OP_WRITE on, muted. */
    SENDING
  }

  /** Size prefix of every frame, request and response. */
  static final int SIZE_PREFIX_BYTES = 4;
  /**
   * First allocation for a frame's payload when the frame is larger than {@link
   * #RECEIVE_BUFFER_WHOLE_FRAME_MAX_BYTES}; it doubles as bytes arrive, up to the announced
   * size. A client that announces 100 MiB and sends 10 bytes holds 64 KiB, not 100 MiB.
   */
  static final int RECEIVE_BUFFER_INITIAL_BYTES = 64 * 1024;
  /**
   * Frames up to this size get their whole buffer at once: the producer's default
   * max.request.size (1 MiB), so an ordinary produce request is read without the grow-and-copy
   * steps. Starting every frame at 64 KiB copied each request of 6 partitions x 16 KiB once
   * more through the heap (JFR, compare-kafka.sh headline: Connection.grow allocated as many
   * bytes as the frames themselves). Worst case held per connection: 1 MiB.
   */
  static final int RECEIVE_BUFFER_WHOLE_FRAME_MAX_BYTES = 1024 * 1024;
  /** Reads per readiness event, so one fast client cannot monopolise its processor. */
  private static final int READS_PER_ROUND_MAX = 16;

  final String id;
  final String listener;
  final SocketChannel channel;
  final SelectionKey key;
  final InetSocketAddress remote;

  State state = State.READING;
  /** The request of the current cycle once its frame is complete; null in READING. */
  NetworkRequest request;
  /** The response being written; non-null exactly in SENDING. */
  Send send;
  /** System.nanoTime() of the last byte in or out, or of the last response handed over. */
  long lastActiveNanos;
  boolean closed;

  private final ByteBuffer sizeBuffer = ByteBuffer.allocate(SIZE_PREFIX_BYTES);
  /** Announced size of the frame being read; valid when {@code receiving != null}. */
  private int frameBytes;
  private ByteBuffer receiving;

  Connection(
      String id,
      String listener,
      SocketChannel channel,
      SelectionKey key,
      InetSocketAddress remote,
      long nowNanos) {
    this.id = id;
    this.listener = listener;
    this.channel = channel;
    this.key = key;
    this.remote = remote;
    this.lastActiveNanos = nowNanos;
  }

  /** Bytes of a partly read frame, size prefix included; 0 between frames. */
  long partialBytes() {
    return sizeBuffer.position() + (receiving == null ? 0 : receiving.position());
  }

  /**
   * Reads what the socket has, up to the end of the current frame and never beyond it.
   *
   * @param bytesIn receives the number of bytes read
   * @return the complete frame payload (position 0, limit = frame size), or null if incomplete
   * @throws InvalidFrameException if the size prefix is outside [8, requestMaxBytes]
   * @throws EOFException if the client closed its side
   */
  ByteBuffer readFrame(int requestMaxBytes, LongConsumer bytesIn)
      throws IOException {
    Checks.state(state == State.READING, "connection %s read while %s", id, state);
    for (int round = 0; round < READS_PER_ROUND_MAX; round++) {
      ByteBuffer target = receiving == null ? sizeBuffer : receiving;
      int n = channel.read(target);
      if (n < 0) {
        throw new EOFException("end of stream after " + partialBytes() + " bytes of a frame");
      }
      bytesIn.accept(n);
      if (receiving == null) {
        if (sizeBuffer.hasRemaining()) {
          return null;
        }
        startFrame(requestMaxBytes);
      } else if (!receiving.hasRemaining()) {
        if (receiving.capacity() == frameBytes) {
          return finishFrame();
        }
        grow();
      } else if (n == 0) {
        return null;
      }
    }
    return null;
  }

  /** Validates the size prefix before allocating anything for the frame. */
  private void startFrame(int requestMaxBytes) throws InvalidFrameException {
    int size = sizeBuffer.getInt(0);
    if (size < NetworkRequest.HEADER_PEEK_BYTES || size > requestMaxBytes) {
      String why =
          size < 0 ? "negative"
              : size < NetworkRequest.HEADER_PEEK_BYTES
                  ? "smaller than the " + NetworkRequest.HEADER_PEEK_BYTES + "-byte header"
                  : "over socket.request.max.bytes " + requestMaxBytes;
      throw new InvalidFrameException("frame size " + size + " is " + why);
    }
    frameBytes = size;
    receiving = ByteBuffer.allocate(
        size <= RECEIVE_BUFFER_WHOLE_FRAME_MAX_BYTES ? size : RECEIVE_BUFFER_INITIAL_BYTES);
  }

  private void grow() {
    int capacity = (int) Math.min((long) receiving.capacity() * 2, frameBytes);
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    receiving.flip();
    bigger.put(receiving);
    receiving = bigger;
  }

  private ByteBuffer finishFrame() {
    ByteBuffer frame = receiving.flip();
    receiving = null;
    sizeBuffer.clear();
    return frame;
  }

  /** Stops reading until the current request's response is written. */
  void mute() {
    key.interestOps(0);
  }

  void unmuteForRead() {
    key.interestOps(SelectionKey.OP_READ);
  }

  void interestWrite() {
    key.interestOps(SelectionKey.OP_WRITE);
  }

  @Override
  public String toString() {
    return id + " (" + listener + ", " + state + ")";
  }
}
