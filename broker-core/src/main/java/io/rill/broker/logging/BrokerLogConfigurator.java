package io.rill.broker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The broker's default logging, set up in code: INFO to stdout and to {@code
 * $RILL_LOG_DIR/rill.log} (default {@code logs/}, rolled daily, 7 days kept), Ratis at WARN,
 * and {@code java.util.logging} (gRPC's) routed into it ({@link JulBridge}).
 *
 * <p>Logback finds this class through {@code META-INF/services} and runs it before its XML
 * configurators. It steps aside whenever a file configuration was asked for: the {@code
 * logback.configurationFile} system property, or a {@code logback-test.xml} / {@code logback.xml}
 * on the class path (tests, or an operator's own file). Configuring in code instead of shipping
 * a {@code logback.xml} matters for start-up: Joran's XML parsing, bean introspection and pattern
 * compilation took a third of the time to the broker's first answer.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class BrokerLogConfigurator extends ContextAwareBase implements Configurator {
  static final String LOG_DIR_ENV = "RILL_LOG_DIR";
  private static final int DAYS_KEPT = 7;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // Whichever configuration follows, JUL records (gRPC's) go through it too.
    JulBridge.install();
    if (fileConfigurationRequested()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    String dir = System.getenv(LOG_DIR_ENV);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("STDOUT");
    root.addAppender(started(context, console));
    DailyFileAppender file = new DailyFileAppender();
    file.setName("FILE");
    file.setDirectory(Path.of(dir == null || dir.isEmpty() ? "logs" : dir));
    file.setMaxHistory(DAYS_KEPT);
    root.addAppender(started(context, file));
    context.getLogger("org.apache.ratis").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean fileConfigurationRequested() {
    ClassLoader loader = BrokerLogConfigurator.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  private static Appender<ILoggingEvent> started(LoggerContext context,
      OutputStreamAppender<ILoggingEvent> appender) {
    LogLineLayout layout = new LogLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
