package io.rill.broker.network;

import io.rill.protocol.util.Checks;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request frame read by a processor, on its way to a handler and back.
 *
 * <p>The payload is the whole frame after the 4-byte size prefix: request header and body. The
 * first 8 bytes (api key int16, api version int16, correlation id int32, big-endian) are peeked
 * by the processor for routing and logging; the payload itself is left unconsumed.
 *
 * <p>Thread ownership: created by a processor, handed to exactly one handler thread through the
 * {@link RequestChannel}. The handler must finish it with exactly one of {@link #sendResponse},
 * {@link #noResponse} or {@link #closeConnection}; until then the connection stays muted (no
 * further frames are read from it). A second finish is a bug and throws.
 */
public final class NetworkRequest {
  /** Bytes of the peeked header prefix; smaller frames cannot be routed and close the connection. */
  public static final int HEADER_PEEK_BYTES = 8;

  private static final int API_KEY_OFFSET = 0;
  private static final int API_VERSION_OFFSET = API_KEY_OFFSET + 2;
  private static final int CORRELATION_ID_OFFSET = API_VERSION_OFFSET + 2;

  private final String connectionId;
  private final int processorId;
  private final String listenerName;
  private final InetSocketAddress clientAddress;
  private final long receiveTimeNanos;
  private final ByteBuffer payload;
  private final short apiKey;
  private final short apiVersion;
  private final int correlationId;
  private final ResponseSink sink;
  /** Set by the first finish; guards the one-response-per-request invariant. */
  private final AtomicBoolean finished = new AtomicBoolean();

  NetworkRequest(
      String connectionId,
      int processorId,
      String listenerName,
      InetSocketAddress clientAddress,
      long receiveTimeNanos,
      ByteBuffer payload,
      ResponseSink sink) {
    Checks.argument(
        payload.position() == 0 && payload.limit() >= HEADER_PEEK_BYTES,
        "frame payload must start at 0 and hold >= %s bytes, got %s",
        HEADER_PEEK_BYTES,
        payload);
    this.connectionId = connectionId;
    this.processorId = processorId;
    this.listenerName = listenerName;
    this.clientAddress = clientAddress;
    this.receiveTimeNanos = receiveTimeNanos;
    this.payload = payload;
    this.apiKey = payload.getShort(API_KEY_OFFSET);
    this.apiVersion = payload.getShort(API_VERSION_OFFSET);
    this.correlationId = payload.getInt(CORRELATION_ID_OFFSET);
    this.sink = sink;
  }

  /** Unique per connection for the life of the server. */
  public String connectionId() {
    return connectionId;
  }

  public int processorId() {
    return processorId;
  }

  public String listenerName() {
    return listenerName;
  }

  public InetSocketAddress clientAddress() {
    return clientAddress;
  }

  /** {@link System#nanoTime()} when the last byte of the frame was read. */
  public long receiveTimeNanos() {
    return receiveTimeNanos;
  }

  /** A fresh view of the frame after the size prefix, position 0, header included. */
  public ByteBuffer payload() {
    return payload.duplicate();
  }

  public int sizeInBytes() {
    return payload.limit();
  }

  public short apiKey() {
    return apiKey;
  }

  public short apiVersion() {
    return apiVersion;
  }

  public int correlationId() {
    return correlationId;
  }

  /**
   * Answers with {@code send}: the response header and body. The processor writes the 4-byte
   * size prefix itself, then {@code send}, then reads the connection's next frame.
   */
  public void sendResponse(Send send) {
    Checks.argument(send != null, "null send");
    Checks.argument(
        send.written() == 0 && send.size() <= Integer.MAX_VALUE - 4,
        "response send must be unwritten and fit a frame, got %s of %s bytes",
        send.written(),
        send.size());
    finish(new Response.SendResponse(this, send));
  }

  /** Finishes without a response (acks=0 produce): the connection reads its next frame. */
  public void noResponse() {
    finish(new Response.NoResponse(this));
  }

  /** Finishes by closing the connection, e.g. when not even the request header parses. */
  public void closeConnection() {
    finish(new Response.CloseConnection(this));
  }

  /** Whether one of the finishing methods has been called. */
  public boolean isFinished() {
    return finished.get();
  }

  private void finish(Response response) {
    Checks.state(
        finished.compareAndSet(false, true), "request %s finished twice", this);
    sink.enqueue(response);
  }

  @Override
  public String toString() {
    return "request(apiKey=" + apiKey + ", version=" + apiVersion + ", correlationId="
        + correlationId + ", connection=" + connectionId + ", listener=" + listenerName + ")";
  }
}
