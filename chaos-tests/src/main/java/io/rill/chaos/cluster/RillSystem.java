package io.rill.chaos.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rill nodes: {@code io.rill.broker.Main start --config node.properties}, combined
 * ({@code broker,controller}) with one listener for clients and one for Raft, small segments so
 * that the disk fault finds closed ones. {@code classPath} must hold broker-core and its
 * dependencies (the harness's own class path does).
 */
public final class RillSystem implements NodeSystem {
  private final String classPath;

  public RillSystem(String classPath) {
    this.classPath = classPath;
  }

  @Override
  public Map<String, String> settings(int id, String listener, String controller,
      String voters, Path dataDir) {
    Map<String, String> config = NodeSystem.combinedNode(id, voters, dataDir);
    config.put("listeners", "PLAINTEXT://" + listener);
    config.put("advertised.listeners", "PLAINTEXT://" + listener);
    config.put("log.segment.bytes", "262144");
    return config;
  }

  @Override
  public List<String> javaArgs(Path nodeFile) {
    return NodeSystem.javaArgs(List.of(), classPath, "io.rill.broker.Main", "start", "--config",
        nodeFile.toString());
  }

  @Override
  public Pattern started(int id) {
    return Pattern.compile("Rill node " + id + " of cluster \\S+ started in");
  }

  @Override
  public void prepare(ChaosNode node) {
    // a Rill node makes its data directory itself on its first start
  }
}
