package io.rill.chaos.cluster;

import io.rill.testkit.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One node as a real JVM process (a Rill node, {@code io.rill.broker.Main start --config
 * node.properties}, or a Kafka node, {@code kafka.Kafka node.properties}: the {@link NodeSystem}
 * says which), launched in its place on the {@link Network}, so the nemesis can SIGKILL, SIGSTOP
 * and restart it on the same data. Its output (every run, each opened by a {@code === run N ===}
 * line) goes to {@code output.log} in its directory. The process is a {@link JvmProcess},
 * thread-safe by monitor: the nemesis and the runner both call it.
 */
public final class ChaosNode {
  /** How long kill() waits for the process to be gone. */
  public static final Duration EXIT_WAIT_MAX = JvmProcess.EXIT_WAIT_MAX;

  private final int id;
  private final Path dir;
  private final JvmProcess process;

  /** {@code javaArgs}: what follows {@code java} (options, class path, main class, arguments). */
  ChaosNode(int id, Path dir, List<String> launchPrefix, List<String> javaArgs) {
    this.id = id;
    this.dir = dir;
    this.process = JvmProcess.builder("node " + id, outputFile()).directory(dir)
        .launchPrefix(launchPrefix).javaArgs(javaArgs)
        .environment("RILL_LOG_DIR", dir.resolve("logs").toString())
        .build();
  }

  public Path dir() {
    return dir;
  }

  public int id() {
    return id;
  }

  public Path nodeFile() {
    return dir.resolve("node.properties");
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path outputFile() {
    return dir.resolve("output.log");
  }

  /** Starts a run; the node must not be running. Returns at once. */
  public void start() {
    process.start();
  }

  /** SIGKILL (also ends a paused node): no shutdown hook, no flush. */
  public void kill() {
    process.kill();
  }

  /** SIGSTOP: the JVM freezes, its sockets stay open, until {@link #resume}. */
  public void pause() {
    process.pause();
  }

  /** SIGCONT after pause(). */
  public void resume() {
    process.resume();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public boolean isPaused() {
    return process.isPaused();
  }

  /** Whether a line of the current run's output contains a match of {@code pattern}. */
  public boolean runOutputHas(Pattern pattern) {
    return process.log().findInRun(pattern).isPresent();
  }

  /** The last {@code lines} lines of output (all runs), for failure messages. */
  public String outputTail(int lines) {
    return process.log().tail(lines);
  }

  public String describe() {
    return "node " + id + ": " + process.state() + "; run " + process.log().runs() + "; output "
        + outputFile();
  }
}
