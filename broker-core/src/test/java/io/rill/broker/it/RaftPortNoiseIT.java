package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A Kafka client pointed at the Raft port instead of a listener: gRPC's complaint about each
 * connection goes through our logging as one WARN line per minute, not a stack trace per
 * connection on the node's stderr (issue 15).
 */
class RaftPortNoiseIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** An ApiVersions v3 request header, as kafka-clients sends first. */
  private static final byte[] KAFKA_BYTES = {0, 0, 0, 18, 0, 18, 0, 3, 0, 0, 0, 1, 0, 8,
      'r', 'i', 'l', 'l', '-', 'c', 'l', 'i', 0, 0};

  @Test
  void kafkaBytesOnTheRaftPortLogOneLineThroughOurLogging(@TempDir Path dir) throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(captured);
    try (TestNode node = TestNode.start(dir)) {
      for (int i = 0; i < 20; i++) {
        try (Socket s = new Socket("127.0.0.1", node.quorumPort())) {
          OutputStream out = s.getOutputStream();
          out.write(KAFKA_BYTES);
          out.flush();
          s.getInputStream().readAllBytes(); // gRPC answers with a GOAWAY and closes
        }
      }
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (lines(captured).isEmpty()) {
        assertThat(System.nanoTime()).as("a line about the Raft port within %s", DEADLINE)
            .isLessThan(deadline);
        LockSupport.parkNanos(10_000_000L);
      }
      assertThat(lines(captured)).singleElement().satisfies(e -> {
        assertThat(e.getThrowableProxy()).isNull();
        assertThat(e.getFormattedMessage()).contains("does not speak gRPC");
      });
      System.out.println("RaftPortNoiseIT: " + lines(captured).get(0).getFormattedMessage());
    } finally {
      root.detachAppender(captured);
    }
  }

  private static List<ILoggingEvent> lines(ListAppender<ILoggingEvent> captured) {
    synchronized (captured.list) {
      return captured.list.stream()
          .filter(e -> e.getLoggerName().equals("io.rill.broker.raft.RaftPort")
              || e.getLoggerName().contains("grpc")).toList();
    }
  }
}
