package io.rill.broker.logging;

import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} records — gRPC, inside Ratis' shaded gRPC, logs through it —
 * to our logging instead of JUL's default console handler, which wrote them to the node's
 * stderr and never to {@code logs/rill.log}.
 *
 * <p>One kind of record is summarised rather than forwarded: the gRPC server's "Transport
 * failed" when a peer that does not speak HTTP/2 connects to the Raft port. A Kafka client
 * pointed at that port (instead of a listener) reconnects every few hundred ms, and each
 * attempt printed a stack trace (issue 15). It becomes one WARN line per {@link
 * #NOISE_INTERVAL_MS} saying what is probably wrong, with the count of those suppressed.
 *
 * <p>Thread-safe: gRPC's event-loop threads publish concurrently; the rate limit is guarded by
 * this handler's monitor.
 */
public final class JulBridge extends Handler {
  /** At most one line about non-gRPC peers on the Raft port per this interval. */
  static final long NOISE_INTERVAL_MS = 60_000;
  /** The logger our summary line goes to. */
  static final String RAFT_PORT_LOGGER = "io.rill.broker.raft.RaftPort";
  /** gRPC's Netty server transport logger, shaded by Ratis or not (its name ends ".connections"). */
  private static final String TRANSPORT_LOGGER = "io.grpc.netty.NettyServerTransport";

  private final LongSupplier nanoClock;
  private long lastNanos;
  private boolean loggedOnce;
  private long suppressed;

  /** @param nanoClock {@code System::nanoTime}, or a test's clock driving the rate limit */
  JulBridge(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Replaces the JUL root logger's handlers with this bridge. Idempotent: a second call (a second
   * logback configuration in one JVM) leaves the one bridge in place.
   */
  public static synchronized void install() {
    java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h instanceof JulBridge) {
        return;
      }
      root.removeHandler(h);
    }
    root.addHandler(new JulBridge(System::nanoTime));
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
    if (name.contains(TRANSPORT_LOGGER) && record.getThrown() != null) {
      transportFailed(record.getThrown());
      return;
    }
    Logger target = LoggerFactory.getLogger(name);
    String message = format(record);
    Throwable thrown = record.getThrown();
    int level = record.getLevel().intValue();
    if (level >= Level.SEVERE.intValue()) {
      target.error(message, thrown);
    } else if (level >= Level.WARNING.intValue()) {
      target.warn(message, thrown);
    } else if (level >= Level.INFO.intValue()) {
      target.info(message, thrown);
    } else if (level >= Level.FINE.intValue()) {
      target.debug(message, thrown);
    } else {
      target.trace(message, thrown);
    }
  }

  private synchronized void transportFailed(Throwable cause) {
    long now = nanoClock.getAsLong();
    if (loggedOnce && now - lastNanos < NOISE_INTERVAL_MS * 1_000_000L) {
      suppressed++;
      return;
    }
    String more = suppressed == 0 ? "" : " (" + suppressed + " more like it in the last "
        + (now - lastNanos) / 1_000_000_000L + " s)";
    // Looked up here, not when the bridge is built: that happens while logback initialises,
    // when SLF4J hands out stand-in loggers.
    LoggerFactory.getLogger(RAFT_PORT_LOGGER).warn("The Raft (controller) port closed a connection that does not speak gRPC: {}."
        + " Is a Kafka client pointed at the port of controller.quorum.voters instead of a"
        + " listener?{}", cause.getMessage(), more);
    loggedOnce = true;
    lastNanos = now;
    suppressed = 0;
  }

  private String format(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (message == null || params == null || params.length == 0) {
      return message;
    }
    try {
      return java.text.MessageFormat.format(message, params);
    } catch (IllegalArgumentException e) {
      return message; // not a MessageFormat pattern after all: the raw text is still useful
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
