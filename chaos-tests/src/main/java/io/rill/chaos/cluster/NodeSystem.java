package io.rill.chaos.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the nodes of a {@link ChaosCluster} run: Rill ({@link RillSystem}) or Apache Kafka
 * ({@link KafkaSystem}). It writes a node's settings, says how its JVM is launched and which
 * output line means it has started, and prepares its data directory before the first start.
 */
public interface NodeSystem {
  /**
   * Settings every chaos node gets, whatever it runs (Kafka's names, which Rill shares): short
   * session timeouts so that a dead node is noticed within seconds, RF 3 and
   * {@code min.insync.replicas=2} by default, no unclean elections unless a topic asks for them.
   */
  Map<String, String> COMMON_SETTINGS = Map.ofEntries(
      Map.entry("broker.session.timeout.ms", "3000"),
      Map.entry("broker.heartbeat.interval.ms", "500"),
      Map.entry("replica.lag.time.max.ms", "5000"),
      Map.entry("default.replication.factor", "3"),
      Map.entry("min.insync.replicas", "2"),
      Map.entry("offsets.topic.replication.factor", "3"),
      Map.entry("offsets.topic.num.partitions", "4"),
      Map.entry("group.initial.rebalance.delay.ms", "0"),
      Map.entry("auto.create.topics.enable", "false"),
      Map.entry("unclean.leader.election.enable", "false"));

  /** Small heaps, one GC thread: several nodes and the harness share 2 cores. */
  List<String> JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * The node file of node {@code id} (before the caller's overrides): {@code listener} is its
   * client address ({@code host:port}), {@code controller} its Raft address, {@code voters} the
   * {@code controller.quorum.voters} value.
   */
  Map<String, String> settings(int id, String listener, String controller, String voters,
      Path dataDir);

  /** What follows {@code java} to run a node with {@code nodeFile}. */
  List<String> javaArgs(Path nodeFile);

  /** A line of the node's output that says node {@code id} has finished starting. */
  Pattern started(int id);

  /** Makes the data directory of a node ready for its first start (Kafka formats it). */
  void prepare(ChaosNode node);

  /**
   * The settings both systems share for node {@code id}: its id, combined roles, the quorum,
   * its data directory and {@link #COMMON_SETTINGS}; listeners are each system's own.
   */
  static Map<String, String> combinedNode(int id, String voters, Path dataDir) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("node.id", Integer.toString(id));
    config.put("process.roles", "broker,controller");
    config.put("controller.quorum.voters", voters);
    config.put("log.dirs", dataDir.toString());
    config.putAll(new TreeMap<>(COMMON_SETTINGS));
    return config;
  }

  /** {@code JVM_OPTIONS}, then {@code options}, the class path, the main class and its args. */
  static List<String> javaArgs(List<String> options, String classPath, String mainClass,
      String... args) {
    List<String> all = new ArrayList<>(JVM_OPTIONS);
    all.addAll(options);
    all.addAll(List.of("-cp", classPath, mainClass));
    all.addAll(List.of(args));
    return all;
  }
}
