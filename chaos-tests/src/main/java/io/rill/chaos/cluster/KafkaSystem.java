package io.rill.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka nodes ({@code kafka.Kafka node.properties}) in KRaft combined mode: each node a
 * broker and a controller, a static quorum of every node ({@code controller.quorum.voters}), a
 * PLAINTEXT listener for clients and replication and a CONTROLLER listener for Raft. Before its
 * first start each data directory is formatted with Kafka's own StorageTool, all with one new
 * cluster id. Logging goes through slf4j-simple to the node's output (INFO). The nodes get the
 * same heap and GC flags as Rill's, so the two are compared on equal terms.
 */
public final class KafkaSystem implements NodeSystem {
  /** How long one StorageTool format may take (a JVM start on a loaded 2-core machine). */
  private static final long FORMAT_WAIT_MAX_S = 120;
  /** Kafka 4 refuses segments under 1 MiB. */
  private static final String SEGMENT_BYTES = "1048576";
  private static final List<String> LOGGING = List.of(
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
      "-Dorg.slf4j.simpleLogger.showDateTime=true",
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
      "-Dlog4j2.level=warn");

  private final String classPath;
  private final String clusterId = Uuid.randomUuid().toString();

  /** {@code classPath}: Kafka's server jars and their dependencies ({@link KafkaDistribution}). */
  public KafkaSystem(String classPath) {
    this.classPath = classPath;
  }

  @Override
  public Map<String, String> settings(int id, String listener, String controller,
      String voters, Path dataDir) {
    Map<String, String> config = NodeSystem.combinedNode(id, voters, dataDir);
    config.put("listeners", "PLAINTEXT://" + listener + ",CONTROLLER://" + controller);
    config.put("advertised.listeners", "PLAINTEXT://" + listener);
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("transaction.state.log.replication.factor", "3");
    config.put("transaction.state.log.min.isr", "2");
    config.put("log.segment.bytes", SEGMENT_BYTES);
    // Where a topic allows unclean elections, the controller also looks for leaderless
    // partitions every second rather than every 5 minutes.
    config.put("unclean.leader.election.interval.ms", "1000");
    return config;
  }

  @Override
  public List<String> javaArgs(Path nodeFile) {
    return NodeSystem.javaArgs(LOGGING, classPath, "kafka.Kafka", nodeFile.toString());
  }

  @Override
  public Pattern started(int id) {
    return Pattern.compile("\\[KafkaRaftServer nodeId=" + id + "\\] Kafka Server started");
  }

  /** {@code kafka-storage format -t CLUSTER_ID -c node.properties}, output to format.log. */
  @Override
  public void prepare(ChaosNode node) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(NodeSystem.javaArgs(LOGGING, classPath, "kafka.tools.StorageTool", "format",
        "-t", clusterId, "-c", node.nodeFile().toString()));
    Path log = node.dir().resolve("format.log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(FORMAT_WAIT_MAX_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("node " + node.id() + ": Kafka's StorageTool did not "
            + "finish within " + FORMAT_WAIT_MAX_S + " s; see " + log);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("node " + node.id() + ": Kafka's StorageTool format "
            + "exited with " + p.exitValue() + ": " + Files.readString(log).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("node " + node.id() + ": cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted formatting node " + node.id(), e);
    }
  }
}
