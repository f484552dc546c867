package io.rill.broker.it;

import io.rill.protocol.ApiKey;
import io.rill.protocol.header.ResponseHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/** A blocking test client that speaks raw frames, to send what no real client would. */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int correlationId;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Writes a frame: the 4-byte size, then {@code payload}. */
  void sendFrame(byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload);
    out.write(b.array());
    out.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a request encoded by our own codec; returns its correlation id. */
  int send(ApiKey api, short version, Struct body) throws IOException {
    int id = ++correlationId;
    ByteBuffer frame = ApiMessages.encodeRequest(api, version, id, "raw-test", body).toByteBuffer();
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    sendFrame(bytes);
    return id;
  }

  /** Reads one response frame; the header is checked against {@code correlationId}. */
  Struct receive(ApiKey api, short version, int expectedCorrelationId) throws IOException {
    int size = in.readInt();
    byte[] bytes = new byte[size];
    in.readFully(bytes);
    WireReader reader = new WireReader(ByteBuffer.wrap(bytes));
    int correlation = ResponseHeader.read(api, version, reader);
    if (correlation != expectedCorrelationId) {
      throw new IllegalStateException("correlation " + correlation + " != " + expectedCorrelationId);
    }
    return ApiMessages.decodeResponse(api, version, reader);
  }

  Struct roundTrip(ApiKey api, short version, Struct body) throws IOException {
    return receive(api, version, send(api, version, body));
  }

  /** Whether the broker closed the connection (end of stream within the socket timeout). */
  boolean isClosedByBroker() throws IOException {
    try {
      return in.read() == -1;
    } catch (EOFException e) {
      return true;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
