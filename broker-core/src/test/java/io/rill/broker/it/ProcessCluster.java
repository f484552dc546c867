package io.rill.broker.it;

import io.rill.client.ClientConfig;
import io.rill.client.KafkaClient;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Rill cluster of real processes for integration and fault-injection tests: N nodes, each a
 * {@link NodeProcess} in its own JVM with its own node file, data directory, client and Raft
 * ports (all chosen before any node starts, so every node file names every voter) and output
 * file. Nodes are combined ({@code broker,controller}) unless the builder says otherwise; the
 * controllers are the quorum's voters.
 *
 * <pre>{@code
 * try (ProcessCluster cluster = ProcessCluster.builder(tempDir).nodes(3).build()) {
 *   cluster.start().awaitStarted(Duration.ofSeconds(60));
 *   ... clients on cluster.bootstrap() ...
 *   cluster.node(2).pause();          // SIGSTOP; resume() sends SIGCONT
 *   cluster.node(1).kill();           // SIGKILL; start() brings it back on the same data
 *   cluster.awaitLog(3, "Quorum leader is now node (\\d+)", Duration.ofSeconds(30)).group(1);
 *   cluster.await("node 3 to hear of a leader other than 1", Duration.ofSeconds(30),
 *       () -> cluster.lastLogMatch(3, "Quorum leader is now node (\\d+)")
 *           .filter(m -> !m.group(1).equals("1")).isPresent());
 * }
 * }</pre>
 *
 * <p>Layout under the builder's directory: {@code node-ID/node.properties}, {@code
 * node-ID/data/}, {@code node-ID/output.log}. Every failed wait throws an AssertionError naming
 * what was waited for, with each node's state and the tail of its output. {@link #close()}
 * SIGKILLs whatever still runs. Not thread-safe: one test thread drives the cluster.
 */
public final class ProcessCluster implements AutoCloseable {
  /** Between two looks at a condition or a log: short next to any timeout a test uses. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  /** The line RillNode logs when its start is complete. */
  private static final String STARTED_REGEX = "Rill node %d of cluster \\S+ started in";

  /** What {@link #await} polls; an exception counts as "not yet" and is shown on failure. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Nodes by id, ascending. */
  private final Map<Integer, NodeProcess> nodes;

  private ProcessCluster(Map<Integer, NodeProcess> nodes) {
    this.nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
  }

  /** A cluster whose nodes live under {@code dir} (typically a JUnit {@code @TempDir}). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public NodeProcess node(int id) {
    NodeProcess n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + "; the nodes are " + nodes.keySet());
    }
    return n;
  }

  /** Every node, by ascending id. */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes.values());
  }

  /** Starts every node that is not running; returns at once (see {@link #awaitStarted}). */
  public ProcessCluster start() {
    nodes.values().stream().filter(n -> !n.isAlive()).forEach(NodeProcess::start);
    return this;
  }

  /** The client addresses of the broker-role nodes, comma-separated, for bootstrap.servers. */
  public String bootstrap() {
    return nodes.values().stream().filter(n -> n.role().isBroker())
        .map(NodeProcess::clientAddress).collect(Collectors.joining(","));
  }

  /**
   * The client addresses of the live, unpaused brokers other than {@code excluded}: for a client
   * that must not wait on a paused node (the Java clients wait out their request timeout on a
   * silent one, whatever the cluster did meanwhile).
   */
  public String bootstrapWithout(int excluded) {
    return nodes.values().stream().filter(n -> n.role().isBroker() && n.id() != excluded
            && n.isAlive() && !n.isPaused())
        .map(NodeProcess::clientAddress).collect(Collectors.joining(","));
  }

  /** The {@code controller.quorum.voters} value every node file carries. */
  public String voters() {
    return nodes.values().stream().filter(n -> n.role().isController())
        .map(n -> n.id() + "@127.0.0.1:" + n.raftPort()).collect(Collectors.joining(","));
  }

  /** Waits until every running node has logged the end of its start in its current run. */
  public ProcessCluster awaitStarted(Duration timeout) {
    for (NodeProcess n : nodes.values()) {
      if (n.isAlive()) {
        awaitLog(n.id(), String.format(STARTED_REGEX, n.id()), timeout);
      }
    }
    return this;
  }

  /**
   * Waits until a line of node {@code nodeId}'s current run matches {@code regex} (found
   * anywhere in the line) and returns the first such match, e.g. to read a group. Fails at once
   * if the node exits without having logged it.
   */
  public MatchResult awaitLog(int nodeId, String regex, Duration timeout) {
    NodeProcess n = node(nodeId);
    Pattern pattern = Pattern.compile(regex);
    String what = "node " + nodeId + " to log /" + regex + "/";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<MatchResult> found = n.findInRun(pattern);
      if (found.isPresent()) {
        return found.get();
      }
      if (!n.isAlive()) {
        throw failure(what + " (it is not running)", timeout, null);
      }
      if (System.nanoTime() >= deadline) {
        throw failure(what, timeout, null);
      }
      pause(what);
    }
  }

  /**
   * The newest line of node {@code nodeId}'s current run that matches {@code regex}, without
   * waiting: e.g. the leader a node heard of last, inside an {@link #await} condition.
   */
  public Optional<MatchResult> lastLogMatch(int nodeId, String regex) {
    return node(nodeId).findLastInRun(Pattern.compile(regex));
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes. */
  public void await(String description, Duration timeout, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + description, e);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= deadline) {
        throw failure(description, timeout, last);
      }
      pause(description);
    }
  }

  /**
   * Waits until every live broker's own metadata shows every partition of {@code topic} with a
   * leader. Brokers learn of a new topic a moment apart (each loads the metadata log on its own,
   * as in Kafka), and a client may ask any of them; this asks each one directly.
   */
  public void awaitTopicOnEveryBroker(String topic, Duration timeout) {
    for (NodeProcess n : nodes.values()) {
      if (n.role() == NodeRole.CONTROLLER || !n.isAlive() || n.isPaused()) {
        continue;
      }
      await("broker " + n.id() + " to know every partition of " + topic + " with its leader",
          timeout, () -> {
            try (KafkaClient client = new KafkaClient(new ClientConfig(
                List.of(n.clientAddress()), "await-topic", 5_000))) {
              Struct t = client.metadata(List.of(topic)).get(MetadataResponse.TOPICS).get(0);
              return t.get(MetadataResponse.TOPIC_ERROR_CODE) == 0
                  && !t.get(MetadataResponse.PARTITIONS).isEmpty()
                  && t.get(MetadataResponse.PARTITIONS).stream()
                      .allMatch(p -> p.get(MetadataResponse.LEADER_ID) >= 0);
            }
          });
    }
  }

  /** Each node's state and the tail of its output, for failure messages. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    for (NodeProcess n : nodes.values()) {
      s.append("---- ").append(n.describe()).append('\n')
          .append(n.outputTail(NodeProcess.OUTPUT_TAIL_LINES)).append('\n');
    }
    return s.toString();
  }

  /** SIGKILLs every node still running (paused ones included). */
  @Override
  public void close() {
    RuntimeException first = null;
    for (NodeProcess n : nodes.values()) {
      try {
        if (n.isAlive()) {
          n.kill();
        }
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private AssertionError failure(String what, Duration timeout, Exception last) {
    String lastFailure = last == null ? "" : "\nthe last check failed with: " + last;
    AssertionError e = new AssertionError("Timed out after " + timeout + " waiting for " + what
        + lastFailure + "\n" + describe());
    if (last != null) {
      e.initCause(last);
    }
    return e;
  }

  private static void pause(String waitingFor) {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + waitingFor, e);
    }
  }

  /**
   * Describes the nodes, then {@link #build()} chooses the ports, creates the directories and
   * writes the node files. Overrides apply after the fixture's settings; in a value, {@code
   * {nodeId}}, {@code {clientPort}} and {@code {raftPort}} stand for the node's own.
   */
  public static final class Builder {
    /** Short timeouts so that tests see a dead or frozen node within seconds. */
    private static final Map<String, String> TEST_SETTINGS = Map.of(
        "broker.session.timeout.ms", "3000",
        "broker.heartbeat.interval.ms", "500",
        "num.partitions", "2",
        "offsets.topic.num.partitions", "4",
        "group.initial.rebalance.delay.ms", "0");

    private final Path dir;
    private final Map<Integer, NodeRole> roles = new TreeMap<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<Integer, Map<String, String>> nodeOverrides = new TreeMap<>();
    private List<String> jvmOptions = List.of("-Xms64m", "-Xmx512m");
    private boolean testSettings = true;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Combined nodes 1..count (adds to any already described). */
    public Builder nodes(int count) {
      for (int id = 1; id <= count; id++) {
        node(id, NodeRole.COMBINED);
      }
      return this;
    }

    /** Node {@code id} with {@code role}; a controller is a voter, a broker-only node is not. */
    public Builder node(int id, NodeRole role) {
      if (id < 0) {
        throw new IllegalArgumentException("node.id must be at least 0, got " + id);
      }
      roles.put(id, role);
      return this;
    }

    /** A setting for every node. */
    public Builder override(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /** A setting for one node, applied after the cluster-wide ones. */
    public Builder override(int nodeId, String key, String value) {
      nodeOverrides.computeIfAbsent(nodeId, k -> new LinkedHashMap<>()).put(key, value);
      return this;
    }

    /**
     * Leaves out the fixture's short test timeouts: nodes run on Rill's defaults (plus any
     * overrides), as an operator's would. For benchmarks that report figures for defaults.
     */
    public Builder defaultSettings() {
      testSettings = false;
      return this;
    }

    /** Replaces the JVM options of every node (default {@code -Xms64m -Xmx512m}). */
    public Builder jvmOptions(String... options) {
      jvmOptions = List.of(options);
      return this;
    }

    public ProcessCluster build() {
      if (roles.values().stream().noneMatch(NodeRole::isController)) {
        throw new IllegalArgumentException("a cluster needs at least one controller: " + roles);
      }
      for (int id : nodeOverrides.keySet()) {
        if (!roles.containsKey(id)) {
          throw new IllegalArgumentException("override for node " + id + ", which is not one of "
              + roles.keySet());
        }
      }
      List<Integer> ports = freePorts(2 * roles.size());
      Map<Integer, NodeProcess> built = new TreeMap<>();
      int i = 0;
      for (Map.Entry<Integer, NodeRole> e : roles.entrySet()) {
        int id = e.getKey();
        built.put(id, new NodeProcess(id, e.getValue(), ports.get(i++), ports.get(i++),
            dir.resolve("node-" + id), jvmOptions));
      }
      ProcessCluster cluster = new ProcessCluster(built);
      for (NodeProcess n : built.values()) {
        writeNodeFile(n, cluster.voters());
      }
      return cluster;
    }

    private void writeNodeFile(NodeProcess n, String voters) {
      Map<String, String> config = new LinkedHashMap<>();
      config.put("node.id", Integer.toString(n.id()));
      config.put("process.roles", n.role().processRoles);
      // A controller-only node gets a listener too, or it would fall back to the 9092 default.
      config.put("listeners", "PLAINTEXT://127.0.0.1:" + n.clientPort());
      config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + n.clientPort());
      config.put("controller.quorum.voters", voters);
      config.put("log.dirs", n.dataDir().toString());
      if (testSettings) {
        config.putAll(TEST_SETTINGS);
      }
      overrides.forEach((k, v) -> config.put(k, substitute(v, n)));
      nodeOverrides.getOrDefault(n.id(), Map.of())
          .forEach((k, v) -> config.put(k, substitute(v, n)));
      try {
        Files.createDirectories(n.dataDir());
        try (Writer w = Files.newBufferedWriter(n.nodeFile())) {
          w.write("# node " + n.id() + " of a ProcessCluster (" + n.role() + ")\n");
          for (Map.Entry<String, String> e : config.entrySet()) {
            w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + n.nodeFile(), e);
      }
    }

    private static String substitute(String value, NodeProcess n) {
      return value.replace("{nodeId}", Integer.toString(n.id()))
          .replace("{clientPort}", Integer.toString(n.clientPort()))
          .replace("{raftPort}", Integer.toString(n.raftPort()));
    }

    /**
     * {@code count} distinct free loopback ports: every probe socket stays open until all are
     * chosen, so no port is handed out twice (another process may still take one before the
     * node binds it, as with any port chosen up front).
     */
    private static List<Integer> freePorts(int count) {
      List<ServerSocket> probes = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          s.setReuseAddress(true);
          probes.add(s);
        }
        return probes.stream().map(ServerSocket::getLocalPort).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find " + count + " free ports", e);
      } finally {
        for (ServerSocket s : probes) {
          try {
            s.close();
          } catch (IOException ignored) {
            // a probe that cannot close only leaves its port unusable
          }
        }
      }
    }
  }
}
