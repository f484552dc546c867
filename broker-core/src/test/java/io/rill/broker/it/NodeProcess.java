package io.rill.broker.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
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
 * <p>Invariants: {@code paused} implies a live process; {@code runOutputOffset} is the length
 * of {@code output.log} when the current run started, so everything before it belongs to
 * earlier runs. Not thread-safe: one test thread drives the node.
 */
public final class NodeProcess {
  /** How long kill() and terminate() wait for the process to be gone. */
  public static final Duration EXIT_WAIT_MAX = Duration.ofSeconds(30);
  /** How long pause() and resume() wait for the kernel to show the new process state. */
  private static final Duration SIGNAL_WAIT_MAX = Duration.ofSeconds(10);
  private static final long STATE_POLL_MS = 10;
  /** Lines of output a failure message shows per node. */
  public static final int OUTPUT_TAIL_LINES = 40;
  private static final String MAIN_CLASS = "io.rill.broker.Main";

  private final int id;
  private final NodeRole role;
  private final int clientPort;
  private final int raftPort;
  private final Path dir;
  private final List<String> jvmOptions;
  private Process process;
  private boolean paused;
  private long runOutputOffset;
  private int runs;

  NodeProcess(int id, NodeRole role, int clientPort, int raftPort, Path dir,
      List<String> jvmOptions) {
    this.id = id;
    this.role = role;
    this.clientPort = clientPort;
    this.raftPort = raftPort;
    this.dir = dir;
    this.jvmOptions = List.copyOf(jvmOptions);
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
    check(!isAlive(), "is already running (pid %s)", process == null ? "-" : process.pid());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "start",
        "--config", nodeFile().toString()));
    try {
      runs++;
      Files.writeString(outputFile(), "=== run " + runs + " of node " + id + " (" + role
          + ") at " + Instant.now() + " ===\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      runOutputOffset = Files.size(outputFile());
      ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()));
      // Only read when no logback-test.xml is on the class path; keeps files out of the module.
      builder.environment().put("RILL_LOG_DIR", dir.resolve("logs").toString());
      process = builder.start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + ": cannot start " + cmd, e);
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. Works on a paused node. */
  public void kill() {
    check(isAlive(), "is not running");
    process.destroyForcibly();
    paused = false;
    check(waitForExit(), "did not exit within %s of SIGKILL", EXIT_WAIT_MAX);
  }

  /**
   * SIGTERM (a paused node is also sent SIGCONT, or it could not act on it), then the time until
   * the process exited. A node still running after {@link #EXIT_WAIT_MAX} is killed and the
   * call fails.
   */
  public Duration terminate() {
    check(isAlive(), "is not running");
    long startNanos = System.nanoTime();
    process.destroy();
    if (paused) {
      signal("CONT");
      paused = false;
    }
    if (!waitForExit()) {
      process.destroyForcibly();
      waitForExit();
      throw new AssertionError("node " + id + " did not exit within " + EXIT_WAIT_MAX
          + " of SIGTERM and was killed; its output ends:\n" + outputTail(OUTPUT_TAIL_LINES));
    }
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** SIGSTOP: the JVM freezes (no heartbeats, no answers, sockets stay open) until resume(). */
  public void pause() {
    check(isAlive() && !paused, "is not running or already paused");
    signal("STOP");
    paused = true;
    awaitProcessState(true);
  }

  /** SIGCONT after pause(). */
  public void resume() {
    check(isAlive() && paused, "is not paused");
    signal("CONT");
    paused = false;
    awaitProcessState(false);
  }

  /** A clean restart on the same data and ports: SIGTERM if running, then start(). */
  public void restart() {
    if (isAlive()) {
      terminate();
    }
    start();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public boolean isPaused() {
    return paused;
  }

  /** The pid of the current (or last) run. */
  public long pid() {
    check(process != null, "was never started");
    return process.pid();
  }

  /** Empty while running or before the first start. */
  public Optional<Integer> exitCode() {
    return process == null || process.isAlive() ? Optional.empty()
        : Optional.of(process.exitValue());
  }

  /** All output of every run so far. */
  public String output() {
    return read(0);
  }

  /** The output of the current (or last) run only. */
  public String runOutput() {
    return read(runOutputOffset);
  }

  /** The first line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findInRun(Pattern pattern) {
    for (String line : runOutput().split("\n")) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Optional.of(m.toMatchResult());
      }
    }
    return Optional.empty();
  }

  /** The last line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findLastInRun(Pattern pattern) {
    String[] lines = runOutput().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = pattern.matcher(lines[i]);
      if (m.find()) {
        return Optional.of(m.toMatchResult());
      }
    }
    return Optional.empty();
  }

  /** The last {@code lines} lines of output (all runs). */
  public String outputTail(int lines) {
    String[] all = output().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }

  /** One line for failure messages: id, role, ports, pid and state. */
  public String describe() {
    String state = process == null ? "never started"
        : isAlive() ? "pid " + process.pid() + (paused ? ", paused" : ", running")
        : "pid " + process.pid() + ", exited with " + process.exitValue();
    return "node " + id + " (" + role + ", client " + clientPort + ", raft " + raftPort + "): "
        + state + "; run " + runs + "; output " + outputFile();
  }

  private boolean waitForExit() {
    try {
      return process.waitFor(EXIT_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for node " + id + " to exit", e);
    }
  }

  /** Java has no API for SIGSTOP/SIGCONT: {@code kill -NAME pid}. */
  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      check(kill.waitFor(SIGNAL_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS),
          "kill -%s did not return within %s", name, SIGNAL_WAIT_MAX);
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check(kill.exitValue() == 0, "kill -%s %s failed: %s", name, process.pid(), said);
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + ": kill -" + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling node " + id, e);
    }
  }

  /**
   * Signals are delivered asynchronously: wait until /proc shows the process stopped (state T)
   * or not, so that a test's next step sees the node as it asked. Skipped where there is no
   * /proc.
   */
  private void awaitProcessState(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + SIGNAL_WAIT_MAX.toNanos();
    while (Files.exists(stat)) {
      if (isStoppedState(stat) == stopped) {
        return;
      }
      check(System.nanoTime() < deadline, "was not %s within %s of the signal",
          stopped ? "stopped" : "running again", SIGNAL_WAIT_MAX);
      try {
        Thread.sleep(STATE_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The state letter follows the last ')' of /proc/PID/stat (the command may hold parens). */
  private static boolean isStoppedState(Path stat) {
    try {
      String s = Files.readString(stat);
      char state = s.charAt(s.lastIndexOf(')') + 2);
      return state == 'T';
    } catch (IOException e) {
      return false; // the process is gone; the caller's loop ends on the missing file
    }
  }

  private String read(long offset) {
    Path file = outputFile();
    if (!Files.exists(file)) {
      return "";
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (offset >= size) {
        return "";
      }
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - offset));
      ch.position(offset);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read to the size seen above; later output waits for the next call
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + ": cannot read " + file, e);
    }
  }

  private void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException("node " + id + " " + String.format(format, args));
    }
  }
}
