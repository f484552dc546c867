package io.rill.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives a real child JVM ({@link Chatter}) through every state JvmProcess promises. */
class JvmProcessTest {
  /** A JVM start on a loaded 2-core machine takes well under this. */
  private static final Duration AWAIT_MAX = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Pattern PID = Pattern.compile("^pid (\\d+)$");
  private static final Pattern TICK = Pattern.compile("^tick (\\d+)$");

  @TempDir Path dir;
  private final List<JvmProcess> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(JvmProcess::killIfAlive);
  }

  @Test
  void pauseFreezesTheChildInTheKernelAndResumeLetsItGoOn() throws IOException {
    JvmProcess p = chatter(List.of());
    p.start();
    long tick = awaitTickAfter(p, -1);

    p.pause();
    assertThat(p.isPaused()).isTrue();
    assertThat(procState(p.pid())).isEqualTo('T');
    long frozenAt = lastTick(p);

    p.resume();
    assertThat(p.isPaused()).isFalse();
    assertThat(procState(p.pid())).isNotEqualTo('T');
    assertThat(awaitTickAfter(p, Math.max(tick, frozenAt))).isGreaterThan(frozenAt);
  }

  @Test
  void killEndsTheChildWithoutItsShutdownHook() {
    JvmProcess p = chatter(List.of());
    p.start();
    awaitTickAfter(p, -1);
    p.pause();

    p.kill(); // also ends a paused child

    assertThat(p.isAlive()).isFalse();
    assertThat(p.isPaused()).isFalse();
    assertThat(p.exitCode()).contains(128 + 9);
    assertThat(p.log().currentRun()).doesNotContain("bye");
    assertThat(p.state()).isEqualTo("pid " + p.pid() + ", exited with 137");
  }

  @Test
  void terminateRunsTheShutdownHookAndTimesTheExit() {
    JvmProcess p = chatter(List.of());
    p.start();
    awaitTickAfter(p, -1);
    p.pause(); // a paused child gets SIGCONT too, or it could not act on SIGTERM

    Duration exit = p.terminate();

    assertThat(exit).isPositive().isLessThan(JvmProcess.EXIT_WAIT_MAX);
    assertThat(p.exitCode()).contains(128 + 15);
    assertThat(p.log().currentRun()).contains("\nbye\n");
  }

  @Test
  void restartMarksEachRunAndTheCurrentRunIsItsOwnOutputOnly() {
    JvmProcess p = chatter(List.of());
    p.start();
    long firstPid = p.pid();
    awaitTickAfter(p, -1);

    p.restart();
    long secondPid = p.pid();
    awaitTickAfter(p, -1);

    assertThat(p.log().runs()).isEqualTo(2);
    String all = p.log().all();
    assertThat(all).startsWith("=== run 1 of chatter at ").contains("\n=== run 2 of chatter at ")
        .contains("pid " + firstPid, "bye", "pid " + secondPid);
    assertThat(all.indexOf("pid " + firstPid)).isLessThan(all.indexOf("=== run 2"));
    assertThat(p.log().currentRun()).startsWith("pid " + secondPid + "\n")
        .doesNotContain("=== run", "bye");
    assertThat(p.log().findInRun(PID).map(m -> Long.parseLong(m.group(1)))).contains(secondPid);
    assertThat(p.log().currentRunTail(1)).matches(TICK);
  }

  @Test
  void aLaunchPrefixThatExecsTheJvmKeepsItsPid() {
    JvmProcess p = JvmProcess.builder("prefixed", dir.resolve("prefixed.log"))
        .launchPrefix(List.of("env", "CHATTER_VIA=env")).javaArgs(chatterArgs(List.of())).build();
    started.add(p);
    p.start();
    awaitTickAfter(p, -1);
    assertThat(p.log().findInRun(PID).map(m -> Long.parseLong(m.group(1)))).contains(p.pid());
  }

  @Test
  void aChildThatExitsByItselfReportsItsExitCode() {
    JvmProcess p = chatter(List.of("3"));
    assertThat(p.exitCode()).isEmpty();
    assertThat(p.state()).isEqualTo("never started");
    p.start();
    await("exit", () -> !p.isAlive());
    assertThat(p.exitCode()).contains(3);
    assertThat(p.log().runLinesContaining("exiting")).containsExactly("exiting with 3");
    p.killIfAlive(); // a no-op on an exited child
  }

  @Test
  void misuseFailsNamingTheProcess() {
    JvmProcess p = chatter(List.of());
    assertThatThrownBy(p::pid).hasMessage("chatter was never started");
    assertThatThrownBy(p::kill).hasMessage("chatter is not running");
    assertThatThrownBy(p::terminate).hasMessage("chatter is not running");
    p.start();
    assertThatThrownBy(p::start).hasMessageStartingWith("chatter is already running (pid ");
    assertThatThrownBy(p::resume).hasMessage("chatter is not paused");
    awaitTickAfter(p, -1);
    p.pause();
    assertThatThrownBy(p::pause).hasMessage("chatter is not running or already paused");
  }

  private JvmProcess chatter(List<String> args) {
    JvmProcess p = JvmProcess.builder("chatter", dir.resolve("chatter.log")).directory(dir)
        .javaArgs(chatterArgs(args)).build();
    started.add(p);
    return p;
  }

  private static List<String> chatterArgs(List<String> args) {
    List<String> javaArgs = new ArrayList<>(List.of("-Xmx32m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Chatter.class.getName()));
    javaArgs.addAll(args);
    return javaArgs;
  }

  /** Waits for the current run to print a tick above {@code after}; returns the last tick. */
  private static long awaitTickAfter(JvmProcess p, long after) {
    await("a tick after " + after + " from " + p.state(), () -> lastTick(p) > after);
    return lastTick(p);
  }

  private static long lastTick(JvmProcess p) {
    Optional<MatchResult> m = p.log().findLastInRun(TICK);
    return m.map(r -> Long.parseLong(r.group(1))).orElse(-1L);
  }

  private static char procState(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT_MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + AWAIT_MAX);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }
}
