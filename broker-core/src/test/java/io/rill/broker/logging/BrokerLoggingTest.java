package io.rill.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's own log line layout and daily file, driven by real logback events and files. */
class BrokerLoggingTest {
  private static final ZoneId ZONE = ZoneId.systemDefault();
  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
  }
  @TempDir Path dir;

  @Test
  void timestampsMatchJavaTimeForRandomInstants() {
    long seed = System.nanoTime();
    System.out.println("BrokerLoggingTest seed=" + seed);
    Random random = new Random(seed);
    DateTimeFormatter expected = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    LogLineLayout layout = new LogLineLayout();
    for (int i = 0; i < 10_000; i++) {
      long millis = random.nextLong(4_102_444_800_000L); // 1970 .. 2100
      StringBuilder out = new StringBuilder();
      layout.appendTimestamp(out, millis);
      assertThat(out.toString()).as("epoch millis %s (seed %s)", millis, seed)
          .isEqualTo(expected.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZONE)));
    }
  }

  @Test
  void lineCarriesLevelThreadLoggerMessageAndStackTrace() {
    LogLineLayout layout = new LogLineLayout();
    layout.setContext(context);
    LoggingEvent event = event(0, "Loaded {} logs", 3);
    event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(
        new IllegalStateException("disk gone")));
    String line = layout.doLayout(event);
    assertThat(line).matches("(?s)\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}] INFO  "
        + "\\[test-thread] io\\.rill\\.Example - Loaded 3 logs\\R"
        + "java\\.lang\\.IllegalStateException: disk gone\\R\\tat .*");
  }

  @Test
  void rollsToADatedFileOnANewDayAndKeepsOnlyTheHistoryAsked() throws Exception {
    DailyFileAppender appender = appender(2);
    LocalDate day = LocalDate.now(ZONE);
    appender.doAppend(event(millisOf(day), "today"));
    appender.doAppend(event(millisOf(day.plusDays(1)), "tomorrow"));
    appender.doAppend(event(millisOf(day.plusDays(2)), "day after"));
    appender.doAppend(event(millisOf(day.plusDays(3)), "third day"));
    appender.stop();

    assertThat(read("rill.log")).contains("third day").doesNotContain("day after");
    assertThat(read("rill." + day.plusDays(2) + ".log")).contains("day after");
    assertThat(read("rill." + day.plusDays(1) + ".log")).contains("tomorrow");
    assertThat(dir.resolve("rill." + day + ".log")).as("beyond 2 days of history").doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(
          List.of("rill." + day.plusDays(1) + ".log", "rill." + day.plusDays(2) + ".log",
              "rill.log"));
    }
  }

  @Test
  void restartAppendsToTheActiveFile() throws Exception {
    DailyFileAppender first = appender(7);
    first.doAppend(event(System.currentTimeMillis(), "before restart"));
    first.stop();
    DailyFileAppender second = appender(7);
    second.doAppend(event(System.currentTimeMillis(), "after restart"));
    second.stop();
    assertThat(read("rill.log")).contains("before restart").contains("after restart");
  }

  private DailyFileAppender appender(int maxHistory) {
    LogLineLayout layout = new LogLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder =
        new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    DailyFileAppender appender = new DailyFileAppender();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setDirectory(dir);
    appender.setMaxHistory(maxHistory);
    appender.start();
    assertThat(appender.isStarted()).isTrue();
    return appender;
  }

  private LoggingEvent event(long timestamp, String message, Object... args) {
    LoggingEvent event = new LoggingEvent("io.rill.Example", context.getLogger("io.rill.Example"),
        Level.INFO, message, null, args);
    event.setTimeStamp(timestamp);
    event.setThreadName("test-thread");
    return event;
  }

  private static long millisOf(LocalDate day) {
    return day.atTime(12, 0).atZone(ZONE).toInstant().toEpochMilli();
  }

  private String read(String name) throws Exception {
    return Files.readString(dir.resolve(name));
  }
}
