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
 * A healthy cluster in this JVM for tests that need no node to die: {@code combined} nodes
 * (ids 1..combined, process.roles=broker,controller), then {@code controllerOnly} voters that
 * run no broker, then {@code brokerOnly} brokers that are not voters, each with its own data dir, a client listener on an ephemeral port
 * and a Raft port chosen up front. Nodes start in parallel, since each waits for a majority of
 * the voters. Tests that kill, pause or cut a node use separate processes instead.
 */
public final class TestCluster implements AutoCloseable {
  /** Start-up of a whole cluster on 2 loaded cores: JIT, elections, registrations. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Map<Integer, RillNode> nodes = new LinkedHashMap<>();
  private final Map<Integer, Map<String, String>> configs = new LinkedHashMap<>();
  /** Controller-only node ids, with the client port their config names (and they never bind). */
  private final Map<Integer, Integer> controllerOnly = new LinkedHashMap<>();

  private TestCluster() {}

  public static TestCluster start(Path dir, int combined, int controllerOnly, int brokerOnly,
      Map<String, String> overrides) throws Exception {
    TestCluster c = new TestCluster();
    int voters = combined + controllerOnly;
    List<String> voterSpecs = new ArrayList<>();
    for (int id = 1; id <= voters; id++) {
      voterSpecs.add(id + "@127.0.0.1:" + TestNode.freePort());
    }
    for (int id = 1; id <= voters + brokerOnly; id++) {
      Map<String, String> config = new HashMap<>();
      config.put("node.id", Integer.toString(id));
      config.put("process.roles", id <= combined ? "broker,controller"
          : id <= voters ? "controller" : "broker");
      config.put("listeners", "PLAINTEXT://127.0.0.1:0");
      if (id > combined && id <= voters) {
        // A real port, so a test can show that nothing answers on it.
        c.controllerOnly.put(id, TestNode.freePort());
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + c.controllerOnly.get(id));
      }
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
    return brokerIds().stream().map(this::bootstrap).collect(Collectors.joining(","));
  }

  public Properties clientProps(int id) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap(id));
    return p;
  }

  /** The client port named in a controller-only node's config. */
  public int configuredPort(int controllerOnlyId) {
    return controllerOnly.get(controllerOnlyId);
  }

  /** The nodes that run a broker (every node but the controller-only ones). */
  public List<Integer> brokerIds() {
    return nodes.keySet().stream().filter(id -> !controllerOnly.containsKey(id)).toList();
  }

  /** Polls {@code condition} until it holds; fails naming what it waited for. */
  public static void await(String what, Duration timeout, BooleanSupplier condition)
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
