package io.rill.chaos.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One Linux network namespace per node, each joined by a veth pair to a bridge in the root
 * namespace, where the harness stays: node {@code i} is {@code 10.A.B.i} on a /24 of its own,
 * the bridge {@code 10.A.B.254}. A cut between two nodes is an iptables DROP of the other's
 * address on INPUT in each node's namespace, so the harness (the bridge's address) still reaches
 * everyone, and dropped packets make the nodes time out rather than fail fast (as Jepsen does).
 *
 * <p>Names carry a per-instance tag ({@code rc<tag>n<id>}, {@code rc<tag>br}), so two clusters on
 * one machine do not meet. Needs root, {@code ip} and {@code iptables}; {@link #create} says
 * plainly which is missing. Not thread-safe: the nemesis thread alone cuts and heals.
 */
public final class NamespaceNetwork implements Network {
  public static final int CLIENT_PORT = 9092;
  public static final int RAFT_PORT = 9093;
  private static final int BRIDGE_HOST = 254;

  private final String tag;
  private final int nodes;
  private final String subnet;
  private final List<String> made = new ArrayList<>();
  private final Thread cleanupOnExit = new Thread(this::removeAll, "netns-cleanup");
  private boolean closed;

  private NamespaceNetwork(String tag, int nodes, String subnet) {
    this.tag = tag;
    this.nodes = nodes;
    this.subnet = subnet;
  }

  /**
   * Makes the namespaces, veths and bridge for {@code nodes} nodes, or throws {@link
   * NetworkUnavailableException} saying why it cannot (not root, no ip or iptables, no
   * namespaces), having removed whatever it made.
   */
  public static NamespaceNetwork create(int nodes) {
    if (nodes < 1 || nodes > 200) {
      throw new IllegalArgumentException("1 to 200 nodes, not " + nodes);
    }
    long pid = ProcessHandle.current().pid();
    int salt = (int) (System.nanoTime() & 0xff);
    String tag = Long.toString((pid * 256 + salt) % (36L * 36 * 36 * 36), 36);
    String subnet = "10." + (100 + (int) (pid % 100)) + "." + (salt & 0xfe) + ".";
    NamespaceNetwork net = new NamespaceNetwork(tag, nodes, subnet);
    try {
      net.requireTools();
      net.build();
    } catch (RuntimeException e) {
      net.close();
      throw e instanceof NetworkUnavailableException n ? n : new NetworkUnavailableException(
          "cannot set up network namespaces for partitions (they need root, `ip` and "
              + "`iptables`): " + e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(net.cleanupOnExit);
    return net;
  }

  public String namespace(int id) {
    return "rc" + tag + "n" + id;
  }

  @Override
  public String host(int id) {
    return subnet + id;
  }

  @Override
  public int clientPort(int id) {
    return CLIENT_PORT;
  }

  @Override
  public int raftPort(int id) {
    return RAFT_PORT;
  }

  @Override
  public List<String> launchPrefix(int id) {
    return List.of("ip", "netns", "exec", namespace(id));
  }

  @Override
  public boolean canPartition() {
    return true;
  }

  @Override
  public void cut(Collection<Set<Integer>> links) {
    for (Set<Integer> link : links) {
      if (link.size() != 2) {
        throw new IllegalArgumentException("a link joins two nodes: " + link);
      }
      List<Integer> pair = List.copyOf(link);
      drop(pair.get(0), pair.get(1));
      drop(pair.get(1), pair.get(0));
    }
  }

  @Override
  public void heal() {
    for (int id = 1; id <= nodes; id++) {
      Commands.run(List.of("ip", "netns", "exec", namespace(id), "iptables", "-w", "-F",
          "INPUT"));
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is already shutting down (the hook runs) or it was never added
    }
  }

  private void drop(int at, int from) {
    Commands.run(List.of("ip", "netns", "exec", namespace(at), "iptables", "-w", "-A", "INPUT",
        "-s", host(from), "-j", "DROP"));
  }

  private void requireTools() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new NetworkUnavailableException("partitions need root (to make network namespaces "
          + "and iptables rules); this runs as " + System.getProperty("user.name"));
    }
    for (List<String> probe : List.of(List.of("ip", "-V"), List.of("iptables", "-V"))) {
      Commands.Result r;
      try {
        r = Commands.tryRun(probe);
      } catch (Commands.CommandFailedException e) {
        r = new Commands.Result(127, e.getMessage());
      }
      if (r.exitCode() != 0) {
        throw new NetworkUnavailableException("partitions need `" + probe.get(0) + "`, which "
            + "did not run (" + r.output().strip() + "); on Debian: apt-get install -y "
            + (probe.get(0).equals("ip") ? "iproute2" : "iptables"));
      }
    }
  }

  private void build() {
    String bridge = "rc" + tag + "br";
    run("ip", "link", "add", bridge, "type", "bridge");
    made.add("link " + bridge);
    run("ip", "addr", "add", subnet + BRIDGE_HOST + "/24", "dev", bridge);
    run("ip", "link", "set", bridge, "up");
    for (int id = 1; id <= nodes; id++) {
      String ns = namespace(id);
      String outside = "rc" + tag + "v" + id;
      String inside = "rc" + tag + "p" + id;
      run("ip", "netns", "add", ns);
      made.add("netns " + ns);
      run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
      made.add("link " + outside);
      run("ip", "link", "set", inside, "netns", ns);
      run("ip", "link", "set", outside, "master", bridge, "up");
      run("ip", "-n", ns, "link", "set", "lo", "up");
      run("ip", "-n", ns, "addr", "add", host(id) + "/24", "dev", inside);
      run("ip", "-n", ns, "link", "set", inside, "up");
    }
  }

  /** Deletes what build() made, newest first; a part already gone is fine. */
  private synchronized void removeAll() {
    for (int i = made.size() - 1; i >= 0; i--) {
      String[] what = made.get(i).split(" ", 2);
      Commands.tryRun(what[0].equals("netns") ? List.of("ip", "netns", "del", what[1])
          : List.of("ip", "link", "del", what[1]));
    }
    made.clear();
  }

  private static void run(String... command) {
    Commands.run(List.of(command));
  }
}
