package io.rill.chaos.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cluster} as a developer runs it. A one-node cluster (the only shape a node serves
 * today) goes through start, status, stop and status: the script starts the node through
 * {@code bin/broker -daemon}, waits for its client port, prints the bootstrap servers, and its
 * status table follows the node's pid file. The leader column is checked on stand-in node
 * processes, since no node logs quorum leader changes yet.
 */
class ClusterScriptIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPO.resolve("scripts/bin/cluster");
  /** start builds nothing here (the jars exist) but may train the class-data archive. */
  private static final Duration START_WAIT_MAX = Duration.ofSeconds(150);
  private static final Duration COMMAND_WAIT_MAX = Duration.ofSeconds(60);

  @TempDir Path work;
  private final List<ProcessHandle> toKill = new ArrayList<>();

  private record Result(int exitCode, String output) {
    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  @AfterEach
  void killLeftovers() {
    for (ProcessHandle p : toKill) {
      p.destroyForcibly();
      p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void oneNodeClusterStartsReportsItselfAndStops() throws Exception {
    assertThat(REPO.resolve("broker-core/target/rill-broker-core-0.1.0-SNAPSHOT.jar"))
        .as("bin/broker runs the jars `mvn verify` packaged before this module").exists();
    int[] ports = freePorts(2);
    int clientPort = ports[0];
    int raftPort = ports[1];
    Map<String, String> env = Map.of(
        "RILL_CLUSTER_CLIENT_PORT", "" + clientPort, "RILL_CLUSTER_RAFT_PORT", "" + raftPort,
        "RILL_HEAP_OPTS", "-Xms64m -Xmx256m");
    Path nodeDir = work.resolve("cluster/node-1");

    Result start = run(env, START_WAIT_MAX, "start", "1");
    pidOf(nodeDir).ifPresent(toKill::add);
    assertThat(start.exitCode()).as("start; output:%n%s", start.output()).isZero();
    assertThat(start.lastLine()).isEqualTo("127.0.0.1:" + clientPort);
    assertThat(Files.readString(nodeDir.resolve("node.properties")))
        .contains("node.id=1\n", "process.roles=broker,controller\n",
            "listeners=PLAINTEXT://127.0.0.1:" + clientPort + "\n",
            "controller.quorum.voters=1@127.0.0.1:" + raftPort + "\n",
            "log.dirs=" + nodeDir.resolve("data") + "\n");
    assertThat(awaitBrokers(start.lastLine())).extracting(Node::port)
        .containsExactly(clientPort);

    long pid = pidOf(nodeDir).orElseThrow().pid();
    Result up = run(env, COMMAND_WAIT_MAX, "status");
    assertThat(up.exitCode()).as("status; output:%n%s", up.output()).isZero();
    // "?" until nodes log leader changes; then a one-node cluster leads itself.
    assertThat(up.output()).containsPattern("(?m)^1 +" + pid + " +" + clientPort + " +"
        + raftPort + " +broker,controller +(\\?|yes)$");

    Result stop = run(env, COMMAND_WAIT_MAX, "stop");
    assertThat(stop.exitCode()).as("stop; output:%n%s", stop.output()).isZero();
    assertThat(stop.output()).contains("node 1 (pid " + pid + "): stopped");
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(Files.readString(nodeDir.resolve("logs/broker.out"))).contains("stopped in");

    Result down = run(env, COMMAND_WAIT_MAX, "status");
    assertThat(down.output()).containsPattern("(?m)^1 +down +" + clientPort + " +" + raftPort
        + " +broker,controller +no$");
  }

  /**
   * The leader is the id in the newest "Quorum leader is now node ID" line of the running
   * nodes; a down node's lines do not count, and a leader that is down is unknown ("?").
   * Stand-in processes ({@code tail -f node.properties}) carry each node's file on their
   * command line, as a real node does, so the script takes them for running nodes.
   */
  @Test
  void statusNamesTheLeaderFromTheNewestLeaderLineOfTheRunningNodes() throws Exception {
    for (int id = 1; id <= 3; id++) {
      fakeNodeFiles(id);
    }
    standIn(1);
    standIn(2);
    leaderLines(1, "10:00:00,000 1", "10:00:05,000 2");
    leaderLines(2, "10:00:04,000 2");
    leaderLines(3, "10:00:09,000 3"); // node 3 is down: not counted

    Result status = run(Map.of(), COMMAND_WAIT_MAX, "status");
    assertThat(status.exitCode()).as("status; output:%n%s", status.output()).isZero();
    assertThat(status.output())
        .containsPattern("(?m)^1 +\\d+ +9101 +9201 +broker,controller +no$")
        .containsPattern("(?m)^2 +\\d+ +9102 +9202 +broker,controller +yes$")
        .containsPattern("(?m)^3 +down +9103 +9203 +broker,controller +no$");

    leaderLines(2, "10:00:04,000 2", "10:00:10,000 3");
    assertThat(run(Map.of(), COMMAND_WAIT_MAX, "status").output())
        .as("the newest line names node 3, which is down")
        .containsPattern("(?m)^1 +\\d+ .* \\?$")
        .containsPattern("(?m)^2 +\\d+ .* \\?$");
  }

  private void fakeNodeFiles(int id) throws IOException {
    Path dir = Files.createDirectories(work.resolve("cluster/node-" + id + "/logs"));
    Files.writeString(dir.resolveSibling("node.properties"), String.join("\n",
        "node.id=" + id, "process.roles=broker,controller",
        "listeners=PLAINTEXT://127.0.0.1:" + (9100 + id),
        "controller.quorum.voters=1@127.0.0.1:9201,2@127.0.0.1:9202,3@127.0.0.1:9203",
        "log.dirs=" + dir.resolveSibling("data"), ""));
  }

  private void standIn(int id) throws IOException {
    Path dir = work.resolve("cluster/node-" + id);
    Process p = new ProcessBuilder("tail", "-f", dir.resolve("node.properties").toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    toKill.add(p.toHandle());
    Files.writeString(dir.resolve("logs/broker.pid"), p.pid() + "\n");
  }

  /** Each entry is "HH:mm:ss,SSS LEADER", written as a broker log line. */
  private void leaderLines(int id, String... entries) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String e : entries) {
      String[] parts = e.split(" ");
      out.append("[2026-01-01 ").append(parts[0]).append("] INFO  [raft-").append(id)
          .append("] io.rill.metadata.raft - Quorum leader is now node ").append(parts[1])
          .append('\n');
    }
    Files.writeString(work.resolve("cluster/node-" + id + "/logs/broker.out"), out);
  }

  private Result run(Map<String, String> env, Duration waitMax, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
    cmd.addAll(List.of(args));
    Path output = Files.createTempFile(work, "cluster-", ".out");
    ProcessBuilder builder = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(waitMax.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("bin/cluster " + String.join(" ", args) + " still running after "
          + waitMax + "; output:\n" + Files.readString(output));
    }
    return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private static java.util.Optional<ProcessHandle> pidOf(Path nodeDir) {
    Path pidFile = nodeDir.resolve("logs/broker.pid");
    try {
      return Files.exists(pidFile)
          ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
          : java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The brokers describeCluster lists, once it lists any: the port answers a moment before the
   * node has registered itself.
   */
  private static List<Node> awaitBrokers(String bootstrap) throws Exception {
    long deadline = System.nanoTime() + COMMAND_WAIT_MAX.toNanos();
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
      while (true) {
        List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS));
        if (!nodes.isEmpty()) {
          return nodes;
        }
        assertThat(System.nanoTime()).as("a broker listed by %s within %s", bootstrap,
            COMMAND_WAIT_MAX).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  /** Distinct free loopback ports: every probe stays open until all are chosen. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        probes.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return probes.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : probes) {
        s.close();
      }
    }
  }
}
