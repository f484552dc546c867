package io.rill.broker.it;

import io.rill.testkit.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * One node of a {@link ProcessCluster}: {@code io.rill.broker.Main start --config node.properties}
 * in its own JVM, on the test class path, so that a test can SIGKILL it, SIGTERM it, freeze it
 * with SIGSTOP and start it again on the same data.
 *
 * <p>Its directory holds {@code node.properties} (written by the cluster before the first
 * start), {@code data/} ({@code log.dirs}) and {@code output.log}: stdout and stderr of every
 * run, appended, each run opening with a line {@code === run N of node ID ...}. Its ports were
 * chosen when the cluster was built and stay the same across restarts.
 *
 * <p>The process itself (signals, exit waits, the run markers of the output) is a
 * {@link JvmProcess}. One test thread drives the node.
 */
public final class NodeProcess {
  /** How long kill() and terminate() wait for the process to be gone. */
  public static final Duration EXIT_WAIT_MAX = JvmProcess.EXIT_WAIT_MAX;
  /** Lines of output a failure message shows per node. */
  public static final int OUTPUT_TAIL_LINES = JvmProcess.OUTPUT_TAIL_LINES;
  private static final String MAIN_CLASS = "io.rill.broker.Main";

  private final int id;
  private final NodeRole role;
  private final int clientPort;
  private final int raftPort;
  private final Path dir;
  private final JvmProcess process;

  NodeProcess(int id, NodeRole role, int clientPort, int raftPort, Path dir,
      List<String> jvmOptions) {
    this.id = id;
    this.role = role;
    this.clientPort = clientPort;
    this.raftPort = raftPort;
    this.dir = dir;
    List<String> javaArgs = new ArrayList<>(jvmOptions);
    javaArgs.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "start",
        "--config", nodeFile().toString()));
    this.process = JvmProcess.builder("node " + id, outputFile())
        .runLabel("node " + id + " (" + role + ")").directory(dir).javaArgs(javaArgs)
        // Only read when no logback-test.xml is on the class path; keeps files out of the module.
        .environment("RILL_LOG_DIR", dir.resolve("logs").toString())
        .build();
  }

  public int id() {
    return id;
  }

  public NodeRole role() {
    return role;
  }

  /** The port of the node's PLAINTEXT listener. */
  public int clientPort() {
    return clientPort;
  }

  /** The node's Raft port: its address in {@code controller.quorum.voters} if it is a voter. */
  public int raftPort() {
    return raftPort;
  }

  /** {@code 127.0.0.1:clientPort}. */
  public String clientAddress() {
    return "127.0.0.1:" + clientPort;
  }

  public Path dir() {
    return dir;
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

  /** Starts a run; the node must not be running. Returns at once: see awaitLog / awaitStarted. */
  public void start() {
    process.start();
  }

  /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. Works on a paused node. */
  public void kill() {
    process.kill();
  }

  /**
   * SIGTERM (a paused node is also sent SIGCONT, or it could not act on it), then the time until
   * the process exited. A node still running after {@link #EXIT_WAIT_MAX} is killed and the
   * call fails.
   */
  public Duration terminate() {
    return process.terminate();
  }

  /** SIGSTOP: the JVM freezes (no heartbeats, no answers, sockets stay open) until resume(). */
  public void pause() {
    process.pause();
  }

  /** SIGCONT after pause(). */
  public void resume() {
    process.resume();
  }

  /** A clean restart on the same data and ports: SIGTERM if running, then start(). */
  public void restart() {
    process.restart();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public boolean isPaused() {
    return process.isPaused();
  }

  /** The pid of the current (or last) run. */
  public long pid() {
    return process.pid();
  }

  /** Empty while running or before the first start. */
  public Optional<Integer> exitCode() {
    return process.exitCode();
  }

  /** All output of every run so far. */
  public String output() {
    return process.log().all();
  }

  /** The output of the current (or last) run only. */
  public String runOutput() {
    return process.log().currentRun();
  }

  /** The first line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findInRun(Pattern pattern) {
    return process.log().findInRun(pattern);
  }

  /** The last line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findLastInRun(Pattern pattern) {
    return process.log().findLastInRun(pattern);
  }

  /** The last {@code lines} lines of output (all runs). */
  public String outputTail(int lines) {
    return process.log().tail(lines);
  }

  /** One line for failure messages: id, role, ports, pid and state. */
  public String describe() {
    return "node " + id + " (" + role + ", client " + clientPort + ", raft " + raftPort + "): "
        + process.state() + "; run " + process.log().runs() + "; output " + outputFile();
  }
}
