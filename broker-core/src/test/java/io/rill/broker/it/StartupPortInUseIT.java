package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port the node needs is taken (a second {@code bin/broker start} is enough): the node says
 * which key and port, and exits 1 within seconds. Before issue 15 a busy Raft port hung the
 * node forever, deaf to SIGTERM: Ratis called System.exit inside the start and the shutdown
 * hook waited for the start.
 */
class StartupPortInUseIT {
  /** Far beyond the ~1 s a refused start takes, far below "forever". */
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);

  @Test
  void aBusyRaftPortStopsTheStartWithAMessageNamingTheKey(@TempDir Path dir) throws Exception {
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"));
        ServerSocket squatter = listenOn(broker.quorumPort())) {
      Duration took = startAndAwaitExit(broker, 1);
      assertThat(broker.output()).contains("controller.quorum.voters",
          "127.0.0.1:" + broker.quorumPort(), "Rill could not start");
      System.out.printf("StartupPortInUseIT: busy Raft port, exit 1 after %d ms%n",
          took.toMillis());
    }
  }

  @Test
  void aBusyClientPortStopsTheStartWithAMessageNamingTheKey(@TempDir Path dir) throws Exception {
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("data"));
        ServerSocket squatter = listenOn(broker.clientPort())) {
      Duration took = startAndAwaitExit(broker, 1);
      assertThat(broker.output()).contains("listeners: cannot listen on 127.0.0.1:"
          + broker.clientPort(), "Rill could not start");
      System.out.printf("StartupPortInUseIT: busy client port, exit 1 after %d ms%n",
          took.toMillis());
    }
  }

  private static ServerSocket listenOn(int port) throws Exception {
    return new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
  }

  private static Duration startAndAwaitExit(BrokerProcess broker, int expectedCode)
      throws Exception {
    long start = System.nanoTime();
    broker.start();
    OptionalInt code = broker.awaitExit(EXIT_DEADLINE);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(code).as("exited within %s; output:%n%s", EXIT_DEADLINE, broker.output())
        .hasValue(expectedCode);
    return took;
  }
}
