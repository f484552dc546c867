package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graceful close: in-flight responses are delivered, everything else closes, all in time. */
class ShutdownTest {
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void closeDrainsInFlightAndClosesIdleAndHalfFrameConnectionsWithinDeadline() throws Exception {
    ServerHarness h = new ServerHarness();
    List<TestClient> idle = new ArrayList<>();
    try (TestClient halfFrame = h.client(); TestClient inFlight = h.client()) {
      for (int i = 0; i < 20; i++) {
        idle.add(h.client());
      }
      halfFrame.sendRaw(ByteBuffer.allocate(4 + 5).putInt(1000).array());
      // Answered by another thread DEFERRED_MS later, i.e. while the server is draining.
      inFlight.send(TestHandler.API_DEFERRED, 42, "in flight".getBytes());
      ServerHarness.await("frames read", () -> h.metrics().requests() == 1
          && h.metrics().connectionsOpen() == 22);

      long start = System.nanoTime();
      h.server.close(CLOSE_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(CLOSE_TIMEOUT);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(TestHandler.DEFERRED_MS / 2));
      TestClient.Frame f = inFlight.receive();
      assertThat(f.correlationId()).isEqualTo(42);
      assertThat(inFlight.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      assertThat(halfFrame.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      for (TestClient c : idle) {
        assertThat(c.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      }
      assertThat(h.metrics().connectionsOpen()).isZero();
    } finally {
      for (TestClient c : idle) {
        c.close();
      }
      h.close();
    }
  }

  @Test
  void closeGivesUpOnUnansweredRequestsAtTheDeadline() throws Exception {
    ServerHarness h = new ServerHarness();
    try (TestClient stuck = h.client()) {
      stuck.send(TestHandler.API_BLOCK, 1, new byte[0]); // never answered before close
      ServerHarness.await("frame read", () -> h.metrics().requests() == 1);
      long start = System.nanoTime();
      h.server.close(Duration.ofMillis(300));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(stuck.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
    } finally {
      h.close(); // releases the blocked handler; a late response to a closed server is dropped
    }
  }
}
