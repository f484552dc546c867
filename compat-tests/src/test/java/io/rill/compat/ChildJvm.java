package io.rill.compat;

import io.rill.testkit.JvmProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Kafka 4.1 program (a Connect worker, MirrorMaker 2's driver) in a child JVM on the class path
 * the {@code connect-worker} module copied to its {@code target/lib}: this module's tests pin
 * kafka-clients 3.9, which cannot share a class path with 4.1. The child's output goes to a log
 * file; {@link #logTail} gives its end for failure messages, {@link #await} polls a condition
 * while the child lives. The process is a {@link JvmProcess} (whose shutdown hook takes the child
 * along should the test JVM end before {@code @AfterEach} runs, as on a failsafe timeout).
 *
 * <p>Used from the test thread only.
 */
final class ChildJvm implements AutoCloseable {
  private static final int LOG_TAIL_LINES_MAX = 60;
  private static final long POLL_MS = 100;
  /** How long kill() waits for the child to be gone. */
  private static final Duration KILL_WAIT_MAX = Duration.ofSeconds(10);

  private final String name;
  private final JvmProcess process;

  private ChildJvm(String name, JvmProcess process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Runs {@code mainClass} with {@code args} on the jars of {@code lib}; its output goes to
   * {@code dir/name.log}. The child logs through slf4j-simple at INFO, less the client config
   * dumps.
   */
  static ChildJvm start(Path lib, Path dir, String name, String mainClass, List<String> args)
      throws IOException {
    Path log = dir.resolve(name + ".log");
    List<String> javaArgs = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        // Connect's per-class INFO dumps of every client config drown the interesting lines.
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.admin.AdminClientConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.ProducerConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.ConsumerConfig=warn",
        "-cp", classPath(lib), mainClass));
    javaArgs.addAll(args);
    Files.deleteIfExists(log); // one child, one run a log: it opens with the run's marker line
    JvmProcess process = JvmProcess.builder(name, log).javaArgs(javaArgs)
        .exitWaitMax(KILL_WAIT_MAX).build();
    process.start();
    System.out.println("started " + name + " (" + mainClass + ", pid " + process.pid() + ", log "
        + log.toAbsolutePath() + ")");
    return new ChildJvm(name, process);
  }

  private static String classPath(Path lib) throws IOException {
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException("no Connect class path at " + lib.toAbsolutePath()
          + ": build compat-tests/connect-worker first (mvn -pl compat-tests -am verify)");
    }
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
          .collect(Collectors.joining(java.io.File.pathSeparator));
    }
  }

  /**
   * {@code target/NAME}, emptied: where a test keeps its child's log and files, left there for a
   * look after a failure.
   */
  static Path freshWorkDir(String name) throws IOException {
    Path work = Path.of("target", name);
    if (Files.exists(work)) {
      try (Stream<Path> old = Files.walk(work)) {
        for (Path p : old.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(work);
  }

  /** Where the jars are: failsafe passes it; the default suits a run from compat-tests/. */
  static Path connectLib() {
    return Path.of(System.getProperty("rill.connect.lib", "connect-worker/target/lib"));
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed, no group is left. */
  void kill() throws InterruptedException {
    process.killIfAlive();
  }

  /** The child's output lines so far that contain {@code text}. */
  List<String> logLines(String text) throws IOException {
    return process.log().runLinesContaining(text);
  }

  /** Whether the child's output so far has a line containing {@code text}. */
  boolean logContains(String text) throws IOException {
    return !logLines(text).isEmpty();
  }

  /** The last lines of the child's output, for failure messages. */
  String logTail() {
    Path log = process.log().file();
    try {
      String tail = process.log().tail(LOG_TAIL_LINES_MAX);
      return "---- last " + tail.lines().count() + " lines of " + log.toAbsolutePath() + " ----\n"
          + tail;
    } catch (UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getCause() + ")";
    }
  }

  /** A condition to poll: null when met, else what was seen instead. */
  @FunctionalInterface
  interface Unmet {
    String check() throws Exception;
  }

  /**
   * Polls {@code unmet} until it reports nothing; fails (with what it last saw and the tail of
   * the child's log) when {@code max} passes or the child exits first.
   */
  void await(String what, Duration max, Unmet unmet) throws Exception {
    long started = System.nanoTime();
    long deadline = started + max.toNanos();
    String seen;
    while (true) {
      try {
        seen = unmet.check();
      } catch (ExecutionException e) {
        seen = e.getCause().toString();
      }
      if (seen == null) {
        System.out.printf("awaited %s: %d ms%n", what, (System.nanoTime() - started) / 1_000_000);
        return;
      }
      if (!alive()) {
        throw new AssertionError(String.format("%s (pid %d) exited while awaiting %s; last seen:"
            + " %s%n%s", name, pid(), what, seen, logTail()));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(String.format("gave up after %s awaiting %s; last seen: %s%n%s",
            max, what, seen, logTail()));
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
