package io.rill.chaos.runner;

import io.rill.chaos.cluster.KafkaDistribution;
import io.rill.chaos.cluster.KafkaSystem;
import io.rill.chaos.cluster.NodeSystem;
import io.rill.chaos.cluster.RillSystem;
import java.util.Locale;

/** What {@code --system} names: the nodes a run starts. */
public enum SystemKind {
  /** Rill nodes, from the harness's own class path (which holds broker-core). */
  RILL,
  /** Apache Kafka nodes (KRaft, combined), from Maven Central via {@link KafkaDistribution}. */
  KAFKA;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The node system to run; {@code rillClassPath} is used for Rill. For Kafka this resolves its
   * class path (with Maven, the first time) and throws saying why if it cannot.
   */
  public NodeSystem nodes(String rillClassPath) {
    return this == RILL ? new RillSystem(rillClassPath)
        : new KafkaSystem(KafkaDistribution.classPath());
  }

  public static SystemKind parse(String name) {
    for (SystemKind k : values()) {
      if (k.json().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown system '" + name + "'; the systems are rill "
        + "and kafka");
  }
}
