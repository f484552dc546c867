package io.rill.chaos.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  public String name() {
    return "rill";
  }

  @Override
  public Map<String, String> settings(int id, String listener, String controller,
      String voters, Path dataDir) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("node.id", Integer.toString(id));
    config.put("process.roles", "broker,controller");
    config.put("listeners", "PLAINTEXT://" + listener);
    config.put("advertised.listeners", "PLAINTEXT://" + listener);
    config.put("controller.quorum.voters", voters);
    config.put("log.dirs", dataDir.toString());
    config.putAll(new TreeMap<>(COMMON_SETTINGS));
    config.put("log.segment.bytes", "262144");
    return config;
  }

  @Override
  public List<String> javaArgs(Path nodeFile) {
    List<String> args = new ArrayList<>(JVM_OPTIONS);
    args.addAll(List.of("-cp", classPath, "io.rill.broker.Main", "start", "--config",
        nodeFile.toString()));
    return args;
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
