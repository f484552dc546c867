package io.rill.broker.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Rill node in its own JVM (the test classpath, {@code io.rill.broker.Main start}), so a
 * test can kill it with SIGKILL mid-stream and start it again on the same data.
 */
final class BrokerProcess implements AutoCloseable {
  private final Path dataDir;
  private final int clientPort;
  private final int quorumPort;
  private Process process;

  BrokerProcess(Path dataDir) {
    this.dataDir = dataDir;
    this.clientPort = TestNode.freePort();
    this.quorumPort = TestNode.freePort();
  }

  String bootstrap() {
    return "127.0.0.1:" + clientPort;
  }

  void start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.rill.broker.Main", "start",
        "--override", "listeners=PLAINTEXT://127.0.0.1:" + clientPort,
        "--override", "controller.quorum.voters=1@127.0.0.1:" + quorumPort,
        "--override", "log.dirs=" + dataDir,
        "--override", "broker.session.timeout.ms=3000",
        "--override", "num.partitions=2",
        "--override", "offsets.topic.num.partitions=4",
        "--override", "group.initial.rebalance.delay.ms=0"));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-broker.log").toFile())
        .start();
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
