package io.rill.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A cluster of real node processes, Rill's or Kafka's (the {@link NodeSystem}), all combined
 * ({@code broker,controller}) and all voters, each under {@code DIR/node-ID/} with its node file,
 * data and output, placed on a {@link Network}. Settings are the system's (short session timeouts
 * so a dead node is noticed within seconds, RF 3 and {@code min.insync.replicas=2} by default,
 * small segments so that the disk fault finds closed ones) plus the caller's overrides. Not
 * thread-safe for start/close; nodes are thread-safe themselves.
 */
public final class ChaosCluster implements AutoCloseable {
  private final Network network;
  private final NodeSystem system;
  private final Map<Integer, ChaosNode> nodes = new TreeMap<>();
  private boolean prepared;

  /** Writes the node files of {@code count} nodes under {@code dir}; starts nothing. */
  public ChaosCluster(Path dir, int count, Network network, NodeSystem system,
      Map<String, String> overrides) {
    this.network = network;
    this.system = system;
    String voters = java.util.stream.IntStream.rangeClosed(1, count)
        .mapToObj(id -> id + "@" + network.host(id) + ":" + network.raftPort(id))
        .collect(Collectors.joining(","));
    for (int id = 1; id <= count; id++) {
      Path nodeDir = dir.resolve("node-" + id);
      ChaosNode n = new ChaosNode(id, nodeDir, network.launchPrefix(id),
          system.javaArgs(nodeDir.resolve("node.properties")));
      Map<String, String> config = new LinkedHashMap<>(system.settings(id,
          network.host(id) + ":" + network.clientPort(id),
          network.host(id) + ":" + network.raftPort(id), voters, n.dataDir()));
      config.putAll(overrides);
      writeNodeFile(n, config);
      nodes.put(id, n);
    }
  }

  public Network network() {
    return network;
  }

  public ChaosNode node(int id) {
    ChaosNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + "; the nodes are " + nodes.keySet());
    }
    return n;
  }

  public List<ChaosNode> nodes() {
    return List.copyOf(nodes.values());
  }

  /** Every node's client address, for bootstrap.servers. */
  public String bootstrap() {
    return nodes.keySet().stream().map(this::clientAddress).collect(Collectors.joining(","));
  }

  public String clientAddress(int id) {
    return network.host(id) + ":" + network.clientPort(id);
  }

  /**
   * Starts every node that is not running (the first time, after the system has prepared each
   * data directory); returns once they are launched.
   */
  public void start() {
    if (!prepared) {
      nodes.values().forEach(system::prepare);
      prepared = true;
    }
    nodes.values().stream().filter(n -> !n.isAlive()).forEach(ChaosNode::start);
  }

  /** Waits until node {@code id} has logged the end of its start in its current run. */
  public void awaitStarted(int id, Duration timeout) {
    ChaosNode n = node(id);
    Pattern started = system.started(id);
    Await.until("node " + id + " to log that it started", timeout, this::describe, () -> {
      if (!n.isAlive()) {
        throw new IllegalStateException("node " + id + " is not running");
      }
      return n.runOutputHas(started);
    });
  }

  /**
   * Waits until every node has started and the cluster answers an Admin with every node as a
   * broker: ready for topics.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int id : nodes.keySet()) {
      awaitStarted(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    try (Admin admin = admin()) {
      Await.until("all " + nodes.size() + " nodes to be registered brokers",
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), this::describe,
          () -> admin.describeCluster().nodes().get().size() == nodes.size());
    }
  }

  /** An Admin on every node, short timeouts (the caller closes it). */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  /** Each node's state and the end of its output, for failure messages. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (ChaosNode n : nodes.values()) {
      s.append("---- ").append(n.describe()).append('\n').append(n.outputTail(25)).append('\n');
    }
    return s.toString();
  }

  /** SIGKILLs every node still running; removes the network's namespaces. */
  @Override
  public void close() {
    List<RuntimeException> errors = new ArrayList<>();
    for (ChaosNode n : nodes.values()) {
      try {
        if (n.isAlive()) {
          n.kill();
        }
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    network.close();
    if (!errors.isEmpty()) {
      RuntimeException first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static void writeNodeFile(ChaosNode n, Map<String, String> config) {
    try {
      Files.createDirectories(n.dataDir());
      try (Writer w = Files.newBufferedWriter(n.nodeFile())) {
        w.write("# node " + n.id() + " of a chaos cluster\n");
        for (Map.Entry<String, String> e : config.entrySet()) {
          w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + n.nodeFile(), e);
    }
  }
}
