package io.rill.broker.it;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.server.RillNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A real Rill node for integration tests: client listener on an ephemeral port, the metadata
 * quorum on a free port, data under a test directory. Restartable on the same data.
 */
public final class TestNode implements AutoCloseable {
  private final Path dataDir;
  private final Map<String, String> overrides;
  private final int quorumPort;
  private RillNode node;

  public TestNode(Path dataDir, Map<String, String> overrides) {
    this.dataDir = dataDir;
    this.overrides = overrides;
    this.quorumPort = freePort();
  }

  public static TestNode start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  public static TestNode start(Path dataDir, Map<String, String> overrides) {
    TestNode n = new TestNode(dataDir, overrides);
    n.startNode();
    return n;
  }

  public void startNode() {
    Map<String, String> config = new HashMap<>();
    config.put("listeners", "PLAINTEXT://127.0.0.1:0");
    config.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
    config.put("log.dirs", dataDir.toString());
    config.put("group.initial.rebalance.delay.ms", "0");
    config.putAll(overrides);
    node = new RillNode(BrokerConfig.of(config));
    try {
      node.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void restart() {
    node.close();
    startNode();
  }

  public String bootstrap() {
    return "127.0.0.1:" + node.boundPort("PLAINTEXT");
  }

  public int port() {
    return node.boundPort("PLAINTEXT");
  }

  /** The Raft port of this node's entry in controller.quorum.voters. */
  public int quorumPort() {
    return quorumPort;
  }

  public RillNode node() {
    return node;
  }

  /** Client properties with bootstrap.servers set. */
  public Properties clientProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap());
    return p;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
  }
}
