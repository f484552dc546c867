package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input closes only the offending connection, and a well-behaved client (the {@link
 * Prober}) keeps getting answers without noticeable delay while it happens.
 */
class BadInputTest {
  static final int REQUEST_MAX_BYTES = 1024 * 1024;
  /** "No noticeable delay" on a shared 2-core CI machine: generous, but far below a stall. */
  static final Duration PROBE_LATENCY_MAX = Duration.ofMillis(1000);

  private ServerHarness harness;
  private Prober prober;

  @BeforeEach
  void setUp() throws Exception {
    harness = new ServerHarness(2, c -> c.withRequestMaxBytes(REQUEST_MAX_BYTES));
    prober = new Prober(harness.port());
    prober.awaitMoreRoundTrips(10);
  }

  @AfterEach
  void tearDown() throws Exception {
    prober.awaitMoreRoundTrips(20);
    assertThat(prober.maxLatency()).isLessThan(PROBE_LATENCY_MAX);
    prober.close();
    harness.close();
  }

  private static byte[] sizePrefix(int size) {
    return ByteBuffer.allocate(4).putInt(size).array();
  }

  @ParameterizedTest(name = "frame size {0}")
  @ValueSource(ints = {-1, Integer.MIN_VALUE, 0, 1, 7, REQUEST_MAX_BYTES + 1, Integer.MAX_VALUE})
  void invalidFrameSizeClosesOnlyThatConnection(int size) throws Exception {
    long rejectedBefore = harness.metrics().framesRejected();
    try (TestClient bad = harness.client()) {
      bad.sendRaw(sizePrefix(size));
      assertThat(bad.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
    }
    assertThat(harness.metrics().framesRejected()).isEqualTo(rejectedBefore + 1);
  }

  @Test
  void frameOfExactlyTheMaximumIsAccepted() throws Exception {
    try (TestClient client = harness.client()) {
      byte[] body = new byte[REQUEST_MAX_BYTES - 8];
      new Random(42).nextBytes(body);
      client.echo(1, body);
    }
  }

  @Test
  void randomGarbageClosesOrStallsOnlyItsOwnConnections() throws Exception {
    long seed = System.nanoTime();
    System.out.println("randomGarbage seed " + seed);
    Random random = new Random(seed);
    List<TestClient> garbage = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        TestClient c = harness.client();
        garbage.add(c);
        byte[] junk = new byte[1 + random.nextInt(64 * 1024)];
        random.nextBytes(junk);
        c.sendRaw(junk);
      }
      prober.awaitMoreRoundTrips(50);
      try (TestClient fresh = harness.client()) {
        fresh.echo(1, "after garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } finally {
      for (TestClient c : garbage) {
        c.close();
      }
    }
  }

  @Test
  void halfFrameThenStallTiesUpOnlyItsConnection() throws Exception {
    try (TestClient staller = harness.client()) {
      // Announce the maximum, send 100 bytes, stall: the server holds 64 KiB, not 1 MiB.
      staller.sendRaw(sizePrefix(REQUEST_MAX_BYTES));
      staller.sendRaw(new byte[100]);
      prober.awaitMoreRoundTrips(50);
      assertThat(staller.awaitClosedByServer(Duration.ofMillis(200))).isFalse();
      try (TestClient fresh = harness.client()) {
        fresh.echo(1, new byte[10]);
      }
    }
  }

  @Test
  void hundredsOfIdleConnectionsDoNotSlowOthers() throws Exception {
    List<TestClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        idle.add(harness.client());
      }
      ServerHarness.await("500 idle + prober registered",
          () -> harness.metrics().connectionsOpen() == 501);
      prober.awaitMoreRoundTrips(200);
      idle.get(250).echo(1, new byte[3]); // any of them still works
    } finally {
      for (TestClient c : idle) {
        c.close();
      }
    }
    ServerHarness.await("idle connections closed", () -> harness.metrics().connectionsOpen() == 1);
  }
}
