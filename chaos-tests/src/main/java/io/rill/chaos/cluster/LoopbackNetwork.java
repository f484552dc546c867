package io.rill.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Every node on 127.0.0.1 with its own pair of free ports; nothing to set up, no partitions
 * (kill, pause and disk faults need none).
 */
public final class LoopbackNetwork implements Network {
  private final List<Integer> ports;

  public LoopbackNetwork(int nodes) {
    this.ports = freePorts(2 * nodes);
  }

  @Override
  public String host(int id) {
    return "127.0.0.1";
  }

  @Override
  public int clientPort(int id) {
    return ports.get(2 * (id - 1));
  }

  @Override
  public int raftPort(int id) {
    return ports.get(2 * (id - 1) + 1);
  }

  @Override
  public List<String> launchPrefix(int id) {
    return List.of();
  }

  @Override
  public boolean canPartition() {
    return false;
  }

  @Override
  public void cut(Collection<Set<Integer>> links) {
    throw new UnsupportedOperationException("a loopback network cannot be partitioned; "
        + "partitions need network namespaces (NamespaceNetwork)");
  }

  @Override
  public void heal() {
    // nothing is ever cut
  }

  @Override
  public void close() {
    // nothing to remove
  }

  /**
   * {@code count} distinct free loopback ports: every probe socket stays open until all are
   * chosen, so none is handed out twice.
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
        } catch (IOException e) {
          // a probe that will not close still freed its port when the JVM exits
        }
      }
    }
  }
}
