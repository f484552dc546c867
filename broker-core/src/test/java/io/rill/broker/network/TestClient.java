package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A blocking raw-socket client speaking size-prefixed frames, for tests. Every read has a
 * timeout so a broken server fails the test instead of hanging it.
 */
final class TestClient implements AutoCloseable {
  static final int READ_TIMEOUT_MS = 15_000;

  /** A response frame: the correlation id our test handler puts first, then the rest. */
  record Frame(int correlationId, byte[] body) {}

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  TestClient(int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request frame: size, apiKey, apiVersion, correlationId, body. */
  static byte[] request(int apiKey, int apiVersion, int correlationId, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + body.length);
    b.putInt(8 + body.length).putShort((short) apiKey).putShort((short) apiVersion);
    b.putInt(correlationId).put(body);
    return b.array();
  }

  void send(int apiKey, int correlationId, byte[] body) throws IOException {
    sendRaw(request(apiKey, 0, correlationId, body));
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Frame receive() throws IOException {
    int size = in.readInt();
    assertThat(size).isBetween(4, 64 * 1024 * 1024);
    int correlationId = in.readInt();
    byte[] body = new byte[size - 4];
    in.readFully(body);
    return new Frame(correlationId, body);
  }

  /** One echo round trip; returns its latency. */
  Duration echo(int correlationId, byte[] body) throws IOException {
    long start = System.nanoTime();
    send(TestHandler.API_ECHO, correlationId, body);
    Frame f = receive();
    assertThat(f.correlationId()).isEqualTo(correlationId);
    assertThat(f.body()).isEqualTo(body);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** True once the server closed the connection (EOF or reset), polled until the deadline. */
  boolean awaitClosedByServer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    socket.setSoTimeout(50);
    try {
      while (System.nanoTime() < deadline) {
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          continue; // still open: poll again until the deadline
        } catch (IOException e) {
          return true; // reset by the server
        }
      }
      return false;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(READ_TIMEOUT_MS);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
