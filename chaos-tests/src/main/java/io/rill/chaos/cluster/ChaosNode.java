package io.rill.chaos.cluster;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * One node as a real JVM process (a Rill node, {@code io.rill.broker.Main start --config
 * node.properties}, or a Kafka node, {@code kafka.Kafka node.properties}: the {@link NodeSystem}
 * says which), launched in its place on the {@link Network}, so the nemesis can SIGKILL, SIGSTOP
 * and restart it on the same data. Its output (every run, each opened by a {@code === run N ===} line) goes
 * to {@code output.log} in its directory. Thread-safe by monitor: the nemesis and the runner
 * both call it.
 */
public final class ChaosNode {
  /** How long kill() waits for the process to be gone. */
  public static final Duration EXIT_WAIT_MAX = Duration.ofSeconds(30);
  /** How long pause() and resume() wait for /proc to show the new state. */
  private static final Duration SIGNAL_WAIT_MAX = Duration.ofSeconds(10);
  private static final Duration STATE_POLL = Duration.ofMillis(5);

  private final int id;
  private final Path dir;
  private final List<String> launchPrefix;
  private final List<String> javaArgs;
  private Process process;
  private boolean paused;
  private long runOutputOffset;
  private int runs;

  /** {@code javaArgs}: what follows {@code java} (options, class path, main class, arguments). */
  ChaosNode(int id, Path dir, List<String> launchPrefix, List<String> javaArgs) {
    this.id = id;
    this.dir = dir;
    this.launchPrefix = List.copyOf(launchPrefix);
    this.javaArgs = List.copyOf(javaArgs);
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
  public synchronized void start() {
    check(!isAlive(), "is already running");
    List<String> cmd = new ArrayList<>(launchPrefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaArgs);
    try {
      runs++;
      Files.writeString(outputFile(), "=== run " + runs + " of node " + id + " at "
          + Instant.now() + " ===\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      runOutputOffset = Files.size(outputFile());
      ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()));
      builder.environment().put("RILL_LOG_DIR", dir.resolve("logs").toString());
      process = builder.start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("node " + id + ": cannot start " + cmd, e);
    }
  }

  /** SIGKILL (also ends a paused node): no shutdown hook, no flush. */
  public synchronized void kill() {
    check(isAlive(), "is not running");
    process.destroyForcibly();
    paused = false;
    try {
      check(process.waitFor(EXIT_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS),
          "did not exit within %s of SIGKILL", EXIT_WAIT_MAX);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for node " + id + " to exit", e);
    }
  }

  /** SIGSTOP: the JVM freezes, its sockets stay open, until {@link #resume}. */
  public synchronized void pause() {
    check(isAlive() && !paused, "is not running or already paused");
    Commands.run(List.of("kill", "-STOP", Long.toString(process.pid())));
    paused = true;
    awaitStopped(true);
  }

  /** SIGCONT after pause(). */
  public synchronized void resume() {
    check(isAlive() && paused, "is not paused");
    Commands.run(List.of("kill", "-CONT", Long.toString(process.pid())));
    paused = false;
    awaitStopped(false);
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized boolean isPaused() {
    return paused;
  }

  /** Whether a line of the current run's output contains a match of {@code pattern}. */
  public boolean runOutputHas(Pattern pattern) {
    long from;
    synchronized (this) {
      from = runOutputOffset;
    }
    return Arrays.stream(read(from).split("\n")).anyMatch(l -> pattern.matcher(l).find());
  }

  /** The last {@code lines} lines of output (all runs), for failure messages. */
  public String outputTail(int lines) {
    String[] all = read(0).split("\n");
    return String.join("\n", Arrays.asList(all).subList(Math.max(0, all.length - lines),
        all.length));
  }

  public synchronized String describe() {
    String state = process == null ? "never started"
        : isAlive() ? "pid " + process.pid() + (paused ? ", paused" : ", running")
        : "pid " + process.pid() + ", exited with " + process.exitValue();
    return "node " + id + ": " + state + "; run " + runs + "; output " + outputFile();
  }

  private void awaitStopped(boolean stopped) {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + SIGNAL_WAIT_MAX.toNanos();
    while (Files.exists(stat)) {
      try {
        String s = Files.readString(stat);
        if ((s.charAt(s.lastIndexOf(')') + 2) == 'T') == stopped) {
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
        // read up to the size seen above
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
