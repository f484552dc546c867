package io.rill.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.image.BrokerEndpoint;
import io.rill.metadata.image.BrokerRegistration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Only a port nothing listens on counts as a dead listener; a live one never does. */
class ListenerProbeTest {
  private static BrokerRegistration broker(int... ports) {
    List<BrokerEndpoint> endpoints = java.util.Arrays.stream(ports)
        .mapToObj(p -> new BrokerEndpoint("L" + p, "127.0.0.1", p, "PLAINTEXT")).toList();
    return new BrokerRegistration(1, 5, new UUID(1, 1), endpoints, Optional.empty(), false,
        false);
  }

  @Test
  void aClosedPortRefusesAndAListeningOneDoesNot() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
      assertThat(ListenerProbe.refused(broker(closedPort), 500)).as("listening").isFalse();
      // A listener whose accept queue is never drained (a paused process) still answers.
      assertThat(ListenerProbe.refused(broker(closedPort), 500)).isFalse();
    }
    assertThat(ListenerProbe.refused(broker(closedPort), 500)).as("closed").isTrue();
    try (ServerSocket live = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ListenerProbe.refused(broker(closedPort, live.getLocalPort()), 500))
          .as("one listener of two still lives").isFalse();
    }
    assertThat(ListenerProbe.refused(broker(), 500)).as("no endpoints: unknown").isFalse();
  }
}
