package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.FileRegion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reactor's contract with well-behaved clients, over real sockets on 127.0.0.1. */
class SocketServerTest {
  private ServerHarness harness;

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
    harness = new ServerHarness(4, c -> c);
    int n = 200;
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      // Deferred ones finish later on another thread: order must still hold.
      int api = i % 50 == 0 ? TestHandler.API_DEFERRED : TestHandler.API_ECHO;
      all.write(TestClient.request(api, 0, i, bytes("request-" + i)));
    }
    try (TestClient client = harness.client()) {
      client.sendRaw(all.toByteArray()); // one write: every frame is on the wire at once
      for (int i = 0; i < n; i++) {
        TestClient.Frame f = client.receive();
        assertThat(f.correlationId()).isEqualTo(i);
        assertThat(f.body()).isEqualTo(bytes("request-" + i));
      }
    }
    assertThat(harness.metrics().requests()).isEqualTo(n);
  }

  @Test
  void manyConnectionsAreServedConcurrently() throws Exception {
    harness = new ServerHarness(4, c -> c);
    int connections = 40;
    int requestsEach = 50;
    ExecutorService clients = Executors.newFixedThreadPool(connections);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int id = c;
        done.add(clients.submit(() -> {
          try (TestClient client = harness.client()) {
            for (int i = 0; i < requestsEach; i++) {
              client.echo(i, bytes("client-" + id + "-" + i));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(harness.metrics().requests()).isEqualTo((long) connections * requestsEach);
    ServerHarness.await("all connections closed", () -> harness.metrics().connectionsOpen() == 0);
  }

  @Test
  void fileRegionResponseArrivesByteExact(@TempDir Path dir) throws Exception {
    harness = new ServerHarness();
    long seed = System.nanoTime();
    System.out.println("fileRegionResponseArrivesByteExact seed " + seed);
    byte[] content = new byte[10 * 1024 * 1024 + 13];
    new Random(seed).nextBytes(content);
    Path file = dir.resolve("00000000000000000000.log");
    Files.write(file, content);
    int position = 7;
    int length = 10 * 1024 * 1024;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        TestClient client = harness.client()) {
      harness.handler.fileRegion(new FileRegion(channel, position, length));
      for (int correlationId = 0; correlationId < 2; correlationId++) {
        client.send(TestHandler.API_FILE, correlationId, new byte[0]);
        TestClient.Frame f = client.receive();
        assertThat(f.correlationId()).isEqualTo(correlationId);
        byte[] expected = ByteBuffer.allocate(2 * length + TestHandler.TRAILER.length)
            .put(content, position, length).put(TestHandler.TRAILER)
            .put(content, position, length).array();
        assertThat(Arrays.equals(f.body(), expected)).as("response bytes match the file").isTrue();
      }
      client.echo(5, bytes("after the file")); // the connection is still in step
    }
  }

  @Test
  void noResponseLetsTheNextPipelinedRequestThrough() throws Exception {
    harness = new ServerHarness();
    try (TestClient client = harness.client()) {
      ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
      pipeline.write(TestClient.request(TestHandler.API_NO_RESPONSE, 0, 1, bytes("acks=0")));
      pipeline.write(TestClient.request(TestHandler.API_NO_RESPONSE, 0, 2, bytes("acks=0")));
      pipeline.write(TestClient.request(TestHandler.API_ECHO, 0, 3, bytes("next")));
      client.sendRaw(pipeline.toByteArray());
      TestClient.Frame f = client.receive();
      assertThat(f.correlationId()).isEqualTo(3);
      assertThat(f.body()).isEqualTo(bytes("next"));
    }
  }

  @Test
  void handlerExceptionClosesOnlyItsConnectionAndTheThreadLives() throws Exception {
    harness = new ServerHarness(1, c -> c); // one handler thread: it must survive
    try (TestClient other = harness.client(); TestClient bad = harness.client()) {
      other.echo(1, bytes("before"));
      bad.send(TestHandler.API_THROW, 7, bytes("boom"));
      assertThat(bad.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      other.echo(2, bytes("after"));
      try (TestClient fresh = harness.client()) {
        fresh.echo(3, bytes("new connection"));
      }
    }
  }

  @Test
  void handlerCloseConnectionClosesIt() throws Exception {
    harness = new ServerHarness();
    try (TestClient client = harness.client()) {
      client.send(TestHandler.API_CLOSE, 1, new byte[0]);
      assertThat(client.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
    }
    ServerHarness.await("connection counted closed", () -> harness.metrics().connectionsOpen() == 0);
  }

  @Test
  void fullRequestQueueHoldsFramesBackAndLosesNone() throws Exception {
    // One handler blocked, a queue of one: later frames wait on their connections, muted.
    harness = new ServerHarness(1, c -> c.withQueuedMaxRequests(1));
    try (TestClient blocker = harness.client()) {
      blocker.send(TestHandler.API_BLOCK, 0, bytes("block"));
      ServerHarness.await("handler took the blocking request",
          () -> harness.metrics().requests() == 1 && harness.server.requestChannel().size() == 0);
      List<TestClient> waiting = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          TestClient c = harness.client();
          waiting.add(c);
          c.send(TestHandler.API_ECHO, i, bytes("waiting-" + i));
        }
        ServerHarness.await("all frames read", () -> harness.metrics().requests() == 6);
        assertThat(harness.server.requestChannel().size()).isEqualTo(1);
        harness.handler.release();
        assertThat(blocker.receive().correlationId()).isZero();
        for (int i = 0; i < waiting.size(); i++) {
          TestClient.Frame f = waiting.get(i).receive();
          assertThat(f.correlationId()).isEqualTo(i);
          assertThat(f.body()).isEqualTo(bytes("waiting-" + i));
        }
      } finally {
        for (TestClient c : waiting) {
          c.close();
        }
      }
    }
  }

  @Test
  void idleConnectionsAreClosedAfterConnectionsMaxIdleMs() throws Exception {
    long idleMs = 400;
    harness = new ServerHarness(2, c -> c.withConnectionsMaxIdleMs(idleMs));
    try (TestClient idle = harness.client(); TestClient busy = harness.client()) {
      long start = System.nanoTime();
      assertThat(idle.awaitClosedByServer(Duration.ofMillis(idleMs / 2)))
          .as("not closed before connections.max.idle.ms").isFalse();
      // The busy one talks every 100 ms for three idle periods and must stay open.
      int i = 0;
      while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(3 * idleMs)) {
        busy.echo(i++, bytes("keepalive"));
        TimeUnit.MILLISECONDS.sleep(100); // pacing the client, not waiting for a condition
      }
      assertThat(idle.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      busy.echo(i, bytes("still open"));
      assertThat(harness.metrics().connectionsClosedIdle()).isEqualTo(1);
    }
  }

  @Test
  void clientThatStopsReadingItsResponseIsClosedAfterIdleTimeout(@TempDir Path dir)
      throws Exception {
    long idleMs = 400;
    harness = new ServerHarness(2, c -> c.withConnectionsMaxIdleMs(idleMs)
        .withSocketBufferBytes(8 * 1024, SocketServerConfig.SOCKET_BUFFER_OS_DEFAULT));
    Path file = dir.resolve("big.log");
    Files.write(file, new byte[10 * 1024 * 1024]);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        TestClient nonReader = harness.client()) {
      harness.handler.fileRegion(new FileRegion(channel, 0, (int) Files.size(file)));
      nonReader.send(TestHandler.API_FILE, 1, new byte[0]); // 20 MiB back, never read
      ServerHarness.await("stalled send closed as idle",
          () -> harness.metrics().connectionsClosedIdle() == 1
              && harness.metrics().connectionsOpen() == 0);
      assertThat(harness.metrics().responses()).isZero();
      try (TestClient other = harness.client()) {
        other.echo(2, bytes("unaffected"));
      }
    }
  }

  @Test
  void stopAcceptingRefusesNewConnectionsAndKeepsServingOld() throws Exception {
    harness = new ServerHarness();
    int port = harness.port();
    try (TestClient client = harness.client()) {
      // Accepted for sure; a connection still in the kernel's backlog is reset by the close.
      client.echo(0, bytes("accepted"));
      harness.server.stopAccepting();
      client.echo(1, bytes("still served"));
      boolean refused;
      try {
        new java.net.Socket("127.0.0.1", port).close();
        refused = false;
      } catch (java.net.ConnectException e) {
        refused = true;
      }
      assertThat(refused).as("listener closed").isTrue();
    }
  }
}
