package io.rill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM that a test (or the fault-injection harness) launches, signals and watches:
 * {@code [launch prefix...] $JAVA_HOME/bin/java <javaArgs>}, started again and again on the same
 * arguments, its output appended to a {@link RunLog}. It can be killed (SIGKILL), terminated
 * (SIGTERM, timing the exit), paused (SIGSTOP) and resumed (SIGCONT); pause and resume return
 * once /proc shows the new state, so the caller's next step sees the process as it asked.
 *
 * <p>A launch prefix such as {@code ip netns exec ns1} must exec the JVM (not fork it), so that
 * the pid and the signals are the JVM's.
 *
 * <p>Every running child is also known to a JVM shutdown hook that SIGKILLs it, so that no child
 * outlives the JVM that launched it (a test JVM ended by a failsafe timeout, a Ctrl-C'd harness).
 *
 * <p>Invariants: {@code paused} implies a live process. Thread-safe by monitor; a kill or
 * terminate holds it while it waits for the exit.
 */
public final class JvmProcess {
  /** How long kill() and terminate() wait for the process to be gone, unless built otherwise. */
  public static final Duration EXIT_WAIT_MAX = Duration.ofSeconds(30);
  /** How long pause() and resume() wait for `kill` to return and the kernel to show the state. */
  public static final Duration SIGNAL_WAIT_MAX = Duration.ofSeconds(10);
  /** Lines of output the failure message of terminate() shows. */
  public static final int OUTPUT_TAIL_LINES = 40;
  private static final Duration STATE_POLL = Duration.ofMillis(5);

  private final String name;
  private final String runLabel;
  private final Path directory;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Duration exitWaitMax;
  private final RunLog log;
  private Process process;
  private boolean paused;

  private JvmProcess(Builder b) {
    this.name = b.name;
    this.runLabel = b.runLabel == null ? b.name : b.runLabel;
    this.directory = b.directory;
    List<String> cmd = new ArrayList<>(b.launchPrefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(b.javaArgs);
    this.command = List.copyOf(cmd);
    this.environment = Map.copyOf(b.environment);
    this.exitWaitMax = b.exitWaitMax;
    this.log = new RunLog(b.outputFile);
  }

  /**
   * {@code name} starts every message about the process ("node 3 is not running"); its output is
   * appended to {@code outputFile}.
   */
  public static Builder builder(String name, Path outputFile) {
    return new Builder(name, outputFile);
  }

  public String name() {
    return name;
  }

  /** The output of every run. */
  public RunLog log() {
    return log;
  }

  /** Starts a run; the process must not be running. Returns at once. */
  public synchronized void start() {
    check(!isAlive(), "is already running (pid %s)", process == null ? "-" : process.pid());
    try {
      log.startRun(runLabel);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      builder.environment().putAll(environment);
      process = builder.start();
      paused = false;
      Reaper.watch(process);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot start " + command, e);
    }
  }

  /** SIGKILL: no shutdown hook, no flush. Works on a paused process; it must be running. */
  public synchronized void kill() {
    check(isAlive(), "is not running");
    killIfAlive();
  }

  /** SIGKILL unless the process has exited (or never started), then waits for the exit. */
  public synchronized void killIfAlive() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    paused = false;
    check(waitForExit(), "did not exit within %s of SIGKILL", exitWaitMax);
  }

  /**
   * SIGTERM (a paused process is also sent SIGCONT, or it could not act on it), then the time
   * until the process exited. A process still running after the exit wait is killed and the
   * call fails, showing the end of its output.
   */
  public synchronized Duration terminate() {
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
      throw new AssertionError(name + " did not exit within " + exitWaitMax
          + " of SIGTERM and was killed; its output ends:\n" + log.tail(OUTPUT_TAIL_LINES));
    }
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** SIGSTOP: the JVM freezes (its sockets stay open) until {@link #resume}. */
  public synchronized void pause() {
    check(isAlive() && !paused, "is not running or already paused");
    signal("STOP");
    paused = true;
    awaitProcessState(true);
  }

  /** SIGCONT after pause(). */
  public synchronized void resume() {
    check(isAlive() && paused, "is not paused");
    signal("CONT");
    paused = false;
    awaitProcessState(false);
  }

  /** A clean restart: SIGTERM if running, then start(). */
  public synchronized void restart() {
    if (isAlive()) {
      terminate();
    }
    start();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  /** The pid of the current (or last) run. */
  public synchronized long pid() {
    check(process != null, "was never started");
    return process.pid();
  }

  /** Empty while running or before the first start. */
  public synchronized Optional<Integer> exitCode() {
    return process == null || process.isAlive() ? Optional.empty()
        : Optional.of(process.exitValue());
  }

  /**
   * For failure messages: "never started", "pid P, running", "pid P, paused" or "pid P, exited
   * with C".
   */
  public synchronized String state() {
    return process == null ? "never started"
        : process.isAlive() ? "pid " + process.pid() + (paused ? ", paused" : ", running")
        : "pid " + process.pid() + ", exited with " + process.exitValue();
  }

  private boolean waitForExit() {
    try {
      return process.waitFor(exitWaitMax.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
    }
  }

  /** Java has no API for SIGSTOP/SIGCONT: {@code kill -NAME pid}. */
  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
          .redirectErrorStream(true).start();
      check(kill.waitFor(SIGNAL_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS),
          "kill -%s did not return within %s", signal, SIGNAL_WAIT_MAX);
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check(kill.exitValue() == 0, "kill -%s %s failed: %s", signal, process.pid(), said);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": kill -" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }

  /**
   * Signals are delivered asynchronously: wait until /proc shows the process stopped (state T)
   * or not. Skipped where there is no /proc; ends when the process is gone.
   */
  private void awaitProcessState(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + SIGNAL_WAIT_MAX.toNanos();
    while (Files.exists(stat)) {
      try {
        if (isStoppedState(Files.readString(stat)) == stopped) {
          return;
        }
      } catch (IOException e) {
        return; // the process is gone
      }
      check(System.nanoTime() < deadline, "was not %s within %s of the signal",
          stopped ? "stopped" : "running again", SIGNAL_WAIT_MAX);
      LockSupport.parkNanos(STATE_POLL.toNanos());
    }
  }

  /** The state letter follows the last ')' of /proc/PID/stat (the command may hold parens). */
  private static boolean isStoppedState(String stat) {
    return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
  }

  private void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(name + " " + String.format(format, args));
    }
  }

  /** What to launch and where its output goes. */
  public static final class Builder {
    private final String name;
    private final Path outputFile;
    private String runLabel;
    private Path directory;
    private List<String> launchPrefix = List.of();
    private List<String> javaArgs = List.of();
    private final Map<String, String> environment = new TreeMap<>();
    private Duration exitWaitMax = EXIT_WAIT_MAX;

    private Builder(String name, Path outputFile) {
      this.name = name;
      this.outputFile = outputFile;
    }

    /** What each run's marker line names; the process's name unless set. */
    public Builder runLabel(String label) {
      this.runLabel = label;
      return this;
    }

    /** The working directory; the launching JVM's unless set. */
    public Builder directory(Path dir) {
      this.directory = dir;
      return this;
    }

    /** A command that execs the JVM, such as {@code ip netns exec ns1}. */
    public Builder launchPrefix(List<String> prefix) {
      this.launchPrefix = List.copyOf(prefix);
      return this;
    }

    /** What follows {@code java}: options, class path, main class, arguments. */
    public Builder javaArgs(List<String> args) {
      this.javaArgs = List.copyOf(args);
      return this;
    }

    /** One environment variable of the child, on top of this JVM's environment. */
    public Builder environment(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /** How long kill() and terminate() wait for the exit; {@link #EXIT_WAIT_MAX} unless set. */
    public Builder exitWaitMax(Duration max) {
      this.exitWaitMax = max;
      return this;
    }

    public JvmProcess build() {
      if (javaArgs.isEmpty()) {
        throw new IllegalStateException(name + ": no main class or jar to run");
      }
      return new JvmProcess(this);
    }
  }

  /**
   * The one shutdown hook that SIGKILLs every child still running when this JVM exits. A child
   * leaves the set when it exits.
   */
  private static final class Reaper {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> LIVE.forEach(Process::destroyForcibly), "jvm-process-reaper"));
    }

    static void watch(Process process) {
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
    }
  }
}
