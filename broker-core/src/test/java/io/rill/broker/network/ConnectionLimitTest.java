package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** max.connections, global and per listener: a connection over the cap is closed at accept. */
class ConnectionLimitTest {
  private static void closeAll(List<TestClient> clients) throws IOException {
    for (TestClient c : clients) {
      c.close();
    }
  }

  @Test
  void connectionsOverMaxConnectionsAreClosedAndSlotsComeBack() throws Exception {
    try (ServerHarness h = new ServerHarness(2, c -> c.withConnectionsMax(3, Map.of()))) {
      List<TestClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          TestClient c = h.client();
          open.add(c);
          c.echo(i, new byte[1]); // proves it was accepted and registered
        }
        try (TestClient over = h.client()) {
          assertThat(over.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
        }
        assertThat(h.metrics().connectionsRejected()).isEqualTo(1);
        open.get(0).echo(9, new byte[1]); // the accepted ones are unaffected
        open.remove(0).close();
        ServerHarness.await("slot released", () -> h.metrics().connectionsOpen() == 2);
        TestClient again = h.client();
        open.add(again);
        again.echo(10, new byte[1]);
      } finally {
        closeAll(open);
      }
    }
  }

  @Test
  void perListenerCapLeavesOtherListenersAlone() throws Exception {
    Map<String, Endpoint> listeners = new LinkedHashMap<>();
    listeners.put(ServerHarness.LISTENER, new Endpoint("127.0.0.1", 0));
    listeners.put("REPLICATION", new Endpoint("127.0.0.1", 0));
    SocketServerConfig config = SocketServerConfig.defaults(listeners)
        .withConnectionsMax(100, Map.of(ServerHarness.LISTENER, 1));
    SocketServer server = new SocketServer(config);
    server.start();
    TestHandler handler = new TestHandler();
    RequestHandlerPool pool = RequestHandlerPool.start(server.requestChannel(), 1, handler);
    try (TestClient first = new TestClient(server.boundPort(ServerHarness.LISTENER));
        TestClient replica1 = new TestClient(server.boundPort("REPLICATION"));
        TestClient replica2 = new TestClient(server.boundPort("REPLICATION"))) {
      first.echo(1, new byte[1]);
      try (TestClient over = new TestClient(server.boundPort(ServerHarness.LISTENER))) {
        assertThat(over.awaitClosedByServer(ServerHarness.DEADLINE)).isTrue();
      }
      replica1.echo(2, new byte[1]);
      replica2.echo(3, new byte[1]);
    } finally {
      handler.close();
      server.close(Duration.ofSeconds(5));
      pool.close(Duration.ofSeconds(5));
    }
  }
}
