package io.rill.broker.network;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved client on its own thread doing echo round trips back to back, recording how
 * many succeeded and the slowest one: the witness that bad clients do not delay others.
 */
final class Prober implements AutoCloseable {
  private final TestClient client;
  private final Thread thread;
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong maxLatencyNanos = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;

  Prober(int port) {
    client = new TestClient(port);
    thread = new Thread(this::run, "test-prober");
    thread.start();
  }

  private void run() {
    byte[] body = "probe".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int correlationId = 0;
    try {
      while (running) {
        Duration latency = client.echo(correlationId++, body);
        maxLatencyNanos.accumulateAndGet(latency.toNanos(), Math::max);
        roundTrips.incrementAndGet();
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  long roundTrips() {
    return roundTrips.get();
  }

  /** Waits for {@code n} more round trips than now. */
  void awaitMoreRoundTrips(long n) {
    long target = roundTrips() + n;
    ServerHarness.await("prober makes " + n + " more round trips",
        () -> roundTrips() >= target || failure.get() != null);
    checkHealthy();
  }

  Duration maxLatency() {
    return Duration.ofNanos(maxLatencyNanos.get());
  }

  void checkHealthy() {
    if (failure.get() != null) {
      throw new AssertionError("well-behaved client failed", failure.get());
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    try {
      thread.join(TestClient.READ_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the prober", e);
    }
    client.close();
    checkHealthy();
  }
}
