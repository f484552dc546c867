package io.rill.broker;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.ConfigException;
import io.rill.broker.server.PidFile;
import io.rill.broker.server.RillNode;
import io.rill.broker.server.StartAbandonedException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/broker start [--config FILE] [--override key=value ...]}: runs one node in the
 * foreground until SIGTERM/SIGINT, then shuts it down cleanly (stop accepting, finish or fail
 * in-flight requests, flush, clean-shutdown markers, metadata snapshot).
 *
 * <p>{@code train-class-archive DIR} is {@code bin/broker}'s own: see {@link
 * ClassArchiveTraining}.
 *
 * <p>Exit codes: 0 after a clean shutdown, 1 when the node cannot start (the cause is logged),
 * 2 for a usage error.
 */
public final class Main {
  static {
    // Start-up overlaps work on the second core. The platform MBean server is built on first
    // use (~60 ms, interpreted); Ratis needs it midway through its start to register its bean.
    // Build it now, while this thread configures logging and reads the configuration.
    Thread jmx = new Thread(ManagementFactory::getPlatformMBeanServer, "rill-jmx-init");
    jmx.setDaemon(true);
    jmx.start();
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    if (args.length == 2 && args[0].equals("train-class-archive")) {
      System.exit(train(Path.of(args[1])));
    }
    if (args.length == 0 || !args[0].equals("start")) {
      usage("expected the command 'start'");
    }
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
        case "--override" -> {
          String kv = value(args, ++i, "--override");
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            usage("--override expects key=value, got '" + kv + "'");
          }
          overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> usage("unknown argument '" + args[i] + "'");
      }
    }
    if (configFile != null && !Files.isReadable(configFile)) {
      usage("cannot read config file " + configFile);
    }
    System.exit(run(configFile, overrides));
  }

  private static int run(Path configFile, Map<String, String> overrides) {
    RillNode node;
    try {
      BrokerConfig config = BrokerConfig.load(configFile, overrides);
      config.unknownKeys().forEach(k -> log.warn("Unknown configuration key '{}' is ignored", k));
      node = new RillNode(config);
      PidFile.claim(config.logDirs().get(0)); // for `bin/broker stop --data-dir`
    } catch (ConfigException e) {
      log.error("Invalid configuration: {}", e.getMessage());
      return 1;
    } catch (IOException e) {
      log.error("Cannot read the configuration: {}", e.toString());
      return 1;
    }
    // Registered before the start: SIGTERM while the node is still starting (an operator or an
    // init system gives up on a slow start) must close what has started, not halt mid-way.
    Thread hook = new Thread(() -> {
      log.info("Shutdown requested");
      node.close();
    }, "rill-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      node.start();
    } catch (StartAbandonedException e) {
      log.info("Start-up stopped: {}", e.getMessage());
      return 0;
    } catch (Exception e) {
      log.error("Rill could not start: {}", e.getMessage(), e);
      withdraw(hook);
      return 1;
    }
    node.awaitShutdown();
    return 0;
  }

  /** Removes the shutdown hook unless the JVM is already shutting down (then it is running). */
  private static void withdraw(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or has run; it finds the node closed
    }
  }

  private static int train(Path dir) {
    try {
      ClassArchiveTraining.run(dir);
      return 0;
    } catch (Exception e) {
      log.error("The class-archive training run failed: {}", e.getMessage(), e);
      return 1;
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      usage(flag + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("broker: " + problem);
    System.err.println("usage: bin/broker start [--config FILE] [--override key=value ...] [-daemon]");
    System.exit(2);
  }
}
