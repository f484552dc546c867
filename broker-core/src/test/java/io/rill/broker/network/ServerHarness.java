package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A started socket server with a handler pool and the {@link TestHandler}, for one test. */
final class ServerHarness implements AutoCloseable {
  static final String LISTENER = "PLAINTEXT";
  static final Duration DEADLINE = Duration.ofSeconds(15);
  /** Pause between two checks of a polled condition. */
  static final long POLL_INTERVAL_NANOS = 5_000_000L;

  final SocketServer server;
  final TestHandler handler = new TestHandler();
  final RequestHandlerPool pool;

  ServerHarness(int handlerThreads, UnaryOperator<SocketServerConfig> tweak) throws IOException {
    SocketServerConfig config = tweak.apply(
        SocketServerConfig.defaults(Map.of(LISTENER, new Endpoint("127.0.0.1", 0))));
    server = new SocketServer(config);
    server.start();
    pool = RequestHandlerPool.start(server.requestChannel(), handlerThreads, handler);
  }

  ServerHarness() throws IOException {
    this(2, c -> c);
  }

  int port() {
    return server.boundPort(LISTENER);
  }

  TestClient client() {
    return new TestClient(port());
  }

  NetworkMetrics metrics() {
    return server.metrics();
  }

  /** Polls {@code condition} until it holds or the deadline passes; no fixed sleeps. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
      LockSupport.parkNanos(POLL_INTERVAL_NANOS);
    }
  }

  @Override
  public void close() {
    handler.close();
    try {
      server.close(Duration.ofSeconds(5));
      pool.close(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while closing the server", e);
    }
  }
}
