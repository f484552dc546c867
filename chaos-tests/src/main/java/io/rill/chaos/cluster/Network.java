package io.rill.chaos.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where the nodes of a cluster live on the network: the address each one binds, how its process
 * is launched into place, and (where the network allows it) cutting links between nodes. The
 * harness always reaches every node: cuts are between nodes only, as in Jepsen.
 */
public interface Network extends AutoCloseable {
  /** The IP address node {@code id} binds and advertises. */
  String host(int id);

  /** The client port of node {@code id}. */
  int clientPort(int id);

  /** The Raft port of node {@code id}. */
  int raftPort(int id);

  /** What goes before {@code java ...} to start node {@code id} in its place (may be empty). */
  List<String> launchPrefix(int id);

  /** Whether {@link #cut} works on this network. */
  boolean canPartition();

  /**
   * Drops all traffic between each pair of nodes in {@code links} (each an unordered pair), both
   * ways, leaving every other link as it is. Connections already open stop carrying data.
   */
  void cut(Collection<Set<Integer>> links);

  /** Removes every cut. */
  void heal();

  /** Removes whatever the network made (namespaces, links); safe to call twice. */
  @Override
  void close();
}
