package io.rill.broker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Rill node in its own JVM (the test classpath, {@code io.rill.broker.Main start}), so a
 * test can kill it with SIGKILL mid-stream and start it again on the same data.
 */
final class BrokerProcess implements AutoCloseable {
  private final Path dataDir;
  private final int clientPort;
  private final int quorumPort;
  private final Map<String, String> overrides;
  private Process process;

  BrokerProcess(Path dataDir) {
    this(dataDir, Map.of());
  }

  /** With extra configuration; {@code {quorumPort}} in a value stands for this node's own. */
  BrokerProcess(Path dataDir, Map<String, String> overrides) {
    this.dataDir = dataDir;
    this.clientPort = TestNode.freePort();
    this.quorumPort = TestNode.freePort();
    this.overrides = overrides;
  }

  String bootstrap() {
    return "127.0.0.1:" + clientPort;
  }

  int clientPort() {
    return clientPort;
  }

  /** The Raft port of this node's entry in controller.quorum.voters. */
  int quorumPort() {
    return quorumPort;
  }

  /** The exit code once the process has ended within {@code timeout}; empty if it still runs. */
  java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
  }

  void start() throws IOException {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    config.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
    config.put("log.dirs", dataDir.toString());
    config.put("broker.session.timeout.ms", "3000");
    config.put("num.partitions", "2");
    config.put("offsets.topic.num.partitions", "4");
    config.put("group.initial.rebalance.delay.ms", "0");
    overrides.forEach((k, v) -> config.put(k, v.replace("{quorumPort}", "" + quorumPort)));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.rill.broker.Main", "start"));
    config.forEach((k, v) -> cmd.addAll(List.of("--override", k + "=" + v)));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(outputFile().toFile())
        .start();
  }

  /** Everything the process printed so far (stdout and stderr). */
  String output() throws IOException {
    return Files.exists(outputFile()) ? Files.readString(outputFile()) : "";
  }

  private Path outputFile() {
    return dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
  }

  /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the time until the process exited. */
  Duration terminate() throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }
}
