package io.rill.broker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * One log line: {@code [2026-11-23 19:44:40,903] INFO  [main] io.rill.broker.Main - message},
 * then the stack trace if there is one. Timestamps are local time, as Kafka's.
 *
 * <p>Hand-written instead of a logback {@code PatternLayout}: building a pattern layout parses the
 * pattern and its date format at start-up (java.time formatters load locale data), which took a
 * tenth of the broker's start-up time. Thread-safe: it holds no mutable state.
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {
  private final ZoneRules zone = ZoneId.systemDefault().getRules();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    line.append('[');
    appendTimestamp(line, event.getTimeStamp());
    line.append("] ");
    String level = event.getLevel().toString();
    line.append(level);
    for (int pad = level.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(" [").append(event.getThreadName()).append("] ")
        .append(event.getLoggerName()).append(" - ")
        .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  /** Appends {@code yyyy-MM-dd HH:mm:ss,SSS} of {@code epochMillis} in the JVM's time zone. */
  void appendTimestamp(StringBuilder out, long epochMillis) {
    long seconds = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    ZoneOffset offset = zone.getOffset(java.time.Instant.ofEpochSecond(seconds));
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, offset);
    out.append(t.getYear()).append('-');
    pad2(out, t.getMonthValue()).append('-');
    pad2(out, t.getDayOfMonth()).append(' ');
    pad2(out, t.getHour()).append(':');
    pad2(out, t.getMinute()).append(':');
    pad2(out, t.getSecond()).append(',');
    if (millis < 100) {
      out.append('0');
    }
    pad2(out, millis);
  }

  private static StringBuilder pad2(StringBuilder out, int value) {
    if (value < 10) {
      out.append('0');
    }
    return out.append(value);
  }
}
