package io.rill.broker.it;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.server.RillNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A healthy cluster in this JVM for tests that need no node to die: {@code voters} combined
 * nodes (ids 1..voters, process.roles=broker,controller) plus {@code brokerOnly} broker-only
 * nodes (ids after them), each with its own data dir, a client listener on an ephemeral port
 * and a Raft port chosen up front. Nodes start in parallel, since each waits for a majority of
 * the voters. Tests that kill, pause or cut a node use separate processes instead.
 */
public final class TestCluster implements AutoCloseable {
  /** Start-up of a whole cluster on 2 loaded cores: JIT, elections, registrations. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Map<Integer, RillNode> nodes = new LinkedHashMap<>();
  private final Map<Integer, Map<String, String>> configs = new LinkedHashMap<>();

  private TestCluster() {}

  public static TestCluster start(Path dir, int voters, int brokerOnly,
      Map<String, String> overrides) throws Exception {
    TestCluster c = new TestCluster();
    List<String> voterSpecs = new ArrayList<>();
    for (int id = 1; id <= voters; id++) {
      voterSpecs.add(id + "@127.0.0.1:" + TestNode.freePort());
    }
    for (int id = 1; id <= voters + brokerOnly; id++) {
      Map<String, String> config = new HashMap<>();
      config.put("node.id", Integer.toString(id));
      config.put("process.roles", id <= voters ? "broker,controller" : "broker");
      config.put("listeners", "PLAINTEXT://127.0.0.1:0");
      config.put("controller.quorum.voters", String.join(",", voterSpecs));
      config.put("log.dirs", dir.resolve("node-" + id).toString());
      config.put("group.initial.rebalance.delay.ms", "0");
      config.putAll(overrides);
      c.configs.put(id, config);
    }
    ExecutorService starters = Executors.newFixedThreadPool(voters + brokerOnly);
    try {
      List<Future<RillNode>> started = new ArrayList<>();
      for (Map<String, String> config : c.configs.values()) {
        started.add(starters.submit(() -> {
          RillNode n = new RillNode(BrokerConfig.of(config));
          n.start();
          return n;
        }));
      }
      int id = 1;
      for (Future<RillNode> f : started) {
        c.nodes.put(id++, f.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }
    } catch (Exception e) {
      c.close();
      throw e;
    } finally {
      starters.shutdownNow();
    }
    return c;
  }

  public RillNode node(int id) {
    return nodes.get(id);
  }

  public String bootstrap(int id) {
    return "127.0.0.1:" + nodes.get(id).boundPort("PLAINTEXT");
  }

  /** Every broker's address: what a client of the whole cluster is given. */
  public String bootstrap() {
    return nodes.keySet().stream().map(this::bootstrap).collect(Collectors.joining(","));
  }

  public Properties clientProps(int id) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap(id));
    return p;
  }

  public List<Integer> ids() {
    return List.copyOf(nodes.keySet());
  }

  /** Polls {@code condition} until it holds; fails naming what it waited for. */
  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  @Override
  public void close() {
    nodes.values().parallelStream().forEach(RillNode::close);
  }

}
