package io.rill.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nobody listening, or a name that does not resolve, is an answer: the client gives up after a
 * short retry instead of the whole timeout. A server that accepts and stays silent still gets
 * the timeout (issue 15).
 */
class KafkaClientConnectTest {
  private static final int TIMEOUT_MS = 30_000;
  /** The short retry plus slack for a loaded machine; far below the 30 s timeout. */
  private static final Duration FAST = Duration.ofMillis(KafkaClient.REFUSED_RETRY_MS + 5_000);

  @Test
  void aRefusedConnectionFailsFast() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nobody listens there
    }
    Duration took = timeUnreachable(List.of("127.0.0.1:" + port), TIMEOUT_MS, "refused");
    assertThat(took).isLessThan(FAST)
        .isGreaterThanOrEqualTo(Duration.ofMillis(KafkaClient.REFUSED_RETRY_MS));
  }

  @Test
  void anUnresolvableHostFailsFast() {
    // .invalid never resolves (RFC 2606).
    assertThat(timeUnreachable(List.of("no-such-broker.invalid:9092"), TIMEOUT_MS,
        "does not resolve")).isLessThan(FAST);
  }

  @Test
  void aServerThatAcceptsButNeverAnswersGetsTheWholeTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // The kernel completes the handshake from the backlog; nobody ever reads or answers.
      Duration took = timeUnreachable(List.of("127.0.0.1:" + silent.getLocalPort()), 1500,
          "within 1500 ms");
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
  }

  @Test
  void oneRefusingAddressDoesNotEndTheSearchWhileAnotherMayAnswer() throws Exception {
    int refused;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refused = s.getLocalPort();
    }
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Duration took = timeUnreachable(List.of("127.0.0.1:" + refused,
          "127.0.0.1:" + silent.getLocalPort()), 3000, "within 3000 ms");
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(3000));
    }
  }

  private static Duration timeUnreachable(List<String> bootstrap, int timeoutMs, String reason) {
    long start = System.nanoTime();
    try (KafkaClient client = new KafkaClient(new ClientConfig(bootstrap, "test", timeoutMs))) {
      assertThatThrownBy(client::any).isInstanceOf(ClientException.Unreachable.class)
          .hasMessageContaining(reason);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("KafkaClientConnectTest: %s unreachable (%s) after %d ms%n", bootstrap,
        reason, took.toMillis());
    return took;
  }
}
