package io.rill.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * JUL records (gRPC's) reach our logging, and a flood of "Transport failed" from non-gRPC peers
 * on the Raft port becomes one line per interval (issue 15).
 */
class JulBridgeTest {
  private static final String SHADED_TRANSPORT =
      "org.apache.ratis.thirdparty.io.grpc.netty.NettyServerTransport.connections";
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final AtomicLong nanos = new AtomicLong();
  private final JulBridge bridge = new JulBridge(nanos::get);

  {
    captured.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(captured);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .detachAppender(captured);
  }

  @Test
  void theLoggingSetUpReplacesJulsConsoleHandlerWithTheBridge() {
    LoggerFactory.getLogger(JulBridgeTest.class).info("logging is configured");
    java.util.logging.Handler[] handlers =
        java.util.logging.LogManager.getLogManager().getLogger("").getHandlers();
    assertThat(handlers).hasSize(1).allMatch(h -> h instanceof JulBridge);
  }

  @Test
  void aFloodOfTransportFailuresIsOneLinePerMinuteWithoutStackTraces() {
    for (int i = 0; i < 1000; i++) {
      bridge.publish(transportFailed());
      nanos.addAndGet(10_000_000L); // 10 s of attempts, 100 a second
    }
    assertThat(raftPortLines()).hasSize(1);
    ILoggingEvent line = raftPortLines().get(0);
    assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
    assertThat(line.getThrowableProxy()).isNull();
    assertThat(line.getFormattedMessage()).contains("does not speak gRPC",
        "client preface string missing", "controller.quorum.voters");
    nanos.addAndGet(JulBridge.NOISE_INTERVAL_MS * 1_000_000L);
    bridge.publish(transportFailed());
    assertThat(raftPortLines()).hasSize(2);
    assertThat(raftPortLines().get(1).getFormattedMessage()).contains("999 more like it");
  }

  @Test
  void otherRecordsKeepTheirLoggerLevelAndThrowable() {
    LogRecord r = new LogRecord(Level.WARNING, "channel {0} closed");
    r.setLoggerName("io.rill.test.jul");
    r.setParameters(new Object[] {"7"});
    r.setThrown(new IllegalStateException("boom"));
    bridge.publish(r);
    assertThat(captured.list).filteredOn(e -> e.getLoggerName().equals("io.rill.test.jul"))
        .singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
          assertThat(e.getFormattedMessage()).isEqualTo("channel 7 closed");
          assertThat(e.getThrowableProxy().getMessage()).isEqualTo("boom");
        });
  }

  private java.util.List<ILoggingEvent> raftPortLines() {
    return captured.list.stream()
        .filter(e -> e.getLoggerName().equals(JulBridge.RAFT_PORT_LOGGER)).toList();
  }

  private static LogRecord transportFailed() {
    LogRecord r = new LogRecord(Level.INFO, "Transport failed");
    r.setLoggerName(SHADED_TRANSPORT);
    r.setThrown(new RuntimeException("HTTP/2 client preface string missing or corrupt. Hex dump"
        + " for received bytes: 0000001200120000"));
    return r;
  }
}
