package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config limits are validated up front with the Kafka key in the message. */
class SocketServerConfigTest {
  private static final Map<String, Endpoint> ONE = Map.of("PLAINTEXT", Endpoint.parse("127.0.0.1:0"));

  @Test
  void defaultsAreKafkas() {
    SocketServerConfig c = SocketServerConfig.defaults(ONE);
    assertThat(c.networkThreads()).isEqualTo(3);
    assertThat(c.queuedMaxRequests()).isEqualTo(500);
    assertThat(c.requestMaxBytes()).isEqualTo(100 * 1024 * 1024);
    assertThat(c.connectionsMax()).isEqualTo(Integer.MAX_VALUE);
    assertThat(c.connectionsMaxIdleMs()).isEqualTo(600_000L);
    assertThat(c.connectionsMax("PLAINTEXT")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void invalidValuesNameTheirKey() {
    SocketServerConfig c = SocketServerConfig.defaults(ONE);
    assertThatThrownBy(() -> c.withNetworkThreads(0)).hasMessageContaining("num.network.threads");
    assertThatThrownBy(() -> c.withQueuedMaxRequests(0)).hasMessageContaining("queued.max.requests");
    assertThatThrownBy(() -> c.withRequestMaxBytes(4))
        .hasMessageContaining("socket.request.max.bytes");
    assertThatThrownBy(() -> c.withConnectionsMaxIdleMs(0))
        .hasMessageContaining("connections.max.idle.ms");
    assertThatThrownBy(() -> c.withConnectionsMax(10, Map.of("NOPE", 1)))
        .hasMessageContaining("unknown listener NOPE");
    assertThatThrownBy(() -> c.withSocketBufferBytes(0, -1))
        .hasMessageContaining("socket.send.buffer.bytes");
  }

  @Test
  void endpointsParseHostAndPort() {
    assertThat(Endpoint.parse("localhost:9092")).isEqualTo(new Endpoint("localhost", 9092));
    assertThat(Endpoint.parse("[::1]:9093")).isEqualTo(new Endpoint("::1", 9093));
    assertThat(new Endpoint("::1", 9093).toString()).isEqualTo("[::1]:9093");
    assertThatThrownBy(() -> Endpoint.parse("nohost")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.parse("h:99999")).hasMessageContaining("outside 0..65535");
  }
}
