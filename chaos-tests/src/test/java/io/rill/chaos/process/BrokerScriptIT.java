package io.rill.chaos.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/broker start}, the README's first command, as an operator runs it: a real process
 * per node, the official Admin client as the peer, SIGTERM to stop.
 *
 * <p>The script's class-data archive is per build, shared by every node started from this
 * checkout, and made by whichever start finds it missing; two nodes starting at once must both
 * come up, exactly one of them training, and a later start must run with the archive.
 */
class BrokerScriptIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPO.resolve("scripts/bin/broker");
  private static final Path ARCHIVE = REPO.resolve("broker-core/target/rill-cds.jsa");
  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final String TRAINING_MESSAGE = "Preparing the class-data archive";

  @TempDir Path work;
  private final List<Node> nodes = new ArrayList<>();

  private record Node(Process process, Path output, int port) {}

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Node node : nodes) {
      node.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentFirstStartsShareOneTrainingAndLaterStartsUseTheArchive() throws Exception {
    assertThat(REPO.resolve("broker-core/target/rill-broker-core-0.1.0-SNAPSHOT.jar"))
        .as("bin/broker runs the jars `mvn verify` packaged before this module").exists();
    Files.deleteIfExists(ARCHIVE);
    Files.deleteIfExists(ARCHIVE.resolveSibling("rill-cds.jsa.failed"));

    Node first = start("a");
    Node second = start("b");
    awaitServing(first);
    awaitServing(second);

    assertThat(ARCHIVE).exists();
    long trainings = List.of(first, second).stream()
        .filter(n -> read(n.output).contains(TRAINING_MESSAGE)).count();
    assertThat(trainings).as("starts that ran the training").isEqualTo(1);
    for (Node node : List.of(first, second)) {
      stop(node);
      assertThat(Files.readString(work.resolve(node.output.getFileName() + "-logs/rill.log")))
          .as("the node's own log file").contains("started in").contains("stopped in");
    }

    long t0 = System.nanoTime();
    Node third = start("c");
    awaitServing(third);
    System.out.printf("BrokerScriptIT: start with the archive served Metadata after %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    assertThat(commandLine(third.process)).contains("-XX:SharedArchiveFile=" + ARCHIVE);
    assertThat(read(third.output)).doesNotContain(TRAINING_MESSAGE);
    stop(third);
  }

  @Test
  void stopFindsAForegroundNodeByItsDataDirFromAnotherDirectory() throws Exception {
    Node node = start("fg");
    awaitServing(node);
    Path dataDir = work.resolve("fg/data");
    assertThat(dataDir.resolve("rill.pid")).as("the node's pid file").exists();
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
    Process stop = new ProcessBuilder(SCRIPT.toString(), "stop", "--data-dir", dataDir.toString())
        .directory(elsewhere.toFile()).redirectErrorStream(true).start();
    String said = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(stop.exitValue()).as(said).isZero();
    assertThat(said).contains("Sent SIGTERM to Rill node " + node.process.pid(), "Stopped.");
    assertThat(node.process.isAlive()).as("stop waited for the exit").isFalse();
    assertThat(read(node.output)).contains("Shutdown requested", "stopped in");
    assertThat(dataDir.resolve("rill.pid")).as("removed at exit").doesNotExist();

    Process again = new ProcessBuilder(SCRIPT.toString(), "stop", "--data-dir",
        dataDir.toString()).redirectErrorStream(true).start();
    String none = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isEqualTo(1);
    assertThat(none).contains("no running Rill node uses " + dataDir);
  }

  @Test
  void helpPrintsAUsageText() throws Exception {
    Process help = new ProcessBuilder(SCRIPT.toString(), "--help").redirectErrorStream(true)
        .start();
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(text).startsWith("Usage: bin/broker COMMAND").contains("start [--config FILE]",
        "stop [--data-dir DIR | --pid-file FILE]", "prepare", "RILL_LOG_DIR")
        .doesNotContain("set -euo");
  }

  private Node start(String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    int port = freePort();
    int controllerPort = freePort();
    Path output = work.resolve(name + ".out");
    ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "start",
        "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
        "--override", "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "--override", "controller.quorum.voters=1@127.0.0.1:" + controllerPort)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("RILL_LOG_DIR", work.resolve(name + ".out-logs").toString());
    builder.environment().put("RILL_HEAP_OPTS", "-Xms64m -Xmx256m");
    Node node = new Node(builder.start(), output, port);
    nodes.add(node);
    return node;
  }

  /**
   * Polls describeCluster until the node lists itself and the node has logged the end of its
   * start (it answers Metadata a moment before registration completes); fails with its output
   * otherwise.
   */
  private static void awaitServing(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + node.port,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000))) {
      while (true) {
        assertThat(node.process.isAlive()).as("node alive; output:%n%s", read(node.output))
            .isTrue();
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()
              && read(node.output).contains("started in")) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException notYet) {
          // not listening or not registered yet
        }
        assertThat(System.nanoTime()).as("serving within %s; output:%n%s", START_DEADLINE,
            read(node.output)).isLessThan(deadline);
      }
    }
  }

  /** SIGTERM, as an init system or {@code bin/broker stop} sends it; the node stops cleanly. */
  private static void stop(Node node) throws InterruptedException {
    node.process.destroy();
    assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    assertThat(read(node.output)).contains("Shutdown requested").contains("stopped in");
  }

  private static String commandLine(Process process) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
    return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
