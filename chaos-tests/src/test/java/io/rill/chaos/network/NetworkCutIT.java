package io.rill.chaos.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.checker.Checker;
import io.rill.chaos.cluster.Await;
import io.rill.chaos.cluster.ChaosCluster;
import io.rill.chaos.cluster.NamespaceNetwork;
import io.rill.chaos.cluster.NetworkUnavailableException;
import io.rill.chaos.cluster.RillSystem;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import io.rill.chaos.runner.ChaosRun;
import io.rill.chaos.runner.Stalls;
import io.rill.chaos.runner.TopicSetup;
import io.rill.chaos.workload.FinalReads;
import io.rill.chaos.workload.WorkloadConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network cut, for real (issue 12): 3 Rill nodes, each in its own network namespace, an RF 3,
 * min.insync.replicas=2 topic, and steady idempotent acks=all producers (one bootstrapped on
 * every node, one on the future victim only, so that requests keep reaching it from its stale
 * view). The node leading the most partitions is cut off from the other nodes (not from the
 * clients). Rule: its leaderships move to the majority and writes go on there; it acknowledges
 * nothing from its stale view (such an acknowledgement could not be replicated, so after the heal
 * it would be missing or replaced: a lost-write, unseen or inconsistent-offsets anomaly); after
 * the heal it rejoins every ISR, and every acknowledged record is read back at its offset exactly
 * once.
 */
class NetworkCutIT {
  private static final String TOPIC = "cut";
  private static final int PARTITIONS = 3;
  private static final Duration STEP_WAIT_MAX = Duration.ofSeconds(60);
  private static final int ACKS_BEFORE_AND_AFTER = 50;

  @Test
  void anIsolatedLeaderLosesItsLeadershipsAndNoAcknowledgedWrite(@TempDir Path dir)
      throws Exception {
    NamespaceNetwork network;
    try {
      network = NamespaceNetwork.create(3);
    } catch (NetworkUnavailableException e) {
      throw new AssertionError("NetworkCutIT needs network namespaces (root, ip, iptables; "
          + ".ci/run installs iptables) and will not skip: " + e.getMessage(), e);
    }
    try (ChaosCluster cluster = new ChaosCluster(dir.resolve("cluster"), 3, network,
        new RillSystem(System.getProperty("java.class.path")), Map.of());
         History history = new History(dir.resolve("history.jsonl"))) {
      cluster.start();
      cluster.awaitReady(Duration.ofSeconds(120));
      TopicSetup.create(cluster, TOPIC, PARTITIONS, (short) 3, TopicSetup.SAFE, STEP_WAIT_MAX);
      Map<Integer, Integer> leadersAtStart = new TreeMap<>();
      try (Admin admin = cluster.admin()) {
        // A node may answer before its metadata has the new topic: ask until one describes it.
        Await.until("every partition of " + TOPIC + " to be described with a leader",
            STEP_WAIT_MAX, cluster::describe, () -> {
              leadersAtStart.putAll(leaders(admin));
              return !leadersAtStart.containsValue(-1);
            });
      }
      int victim = mostLeaderships(leadersAtStart);
      List<Integer> others = IntStream.rangeClosed(1, 3).filter(i -> i != victim).boxed()
          .toList();
      System.out.println("NetworkCutIT: isolating node " + victim + ", which leads "
          + leadersAtStart + " (partition → leader)");
      AtomicLong values = new AtomicLong();
      long healedAtNanos;
      SteadyWriter everywhere = new SteadyWriter(cluster.bootstrap(), TOPIC, PARTITIONS,
          history, 0, values);
      SteadyWriter stale = new SteadyWriter(cluster.clientAddress(victim), TOPIC, PARTITIONS,
          history, 1, values);
      try {
        awaitAcks(history, "0", 0, ACKS_BEFORE_AND_AFTER, cluster);
        awaitAcks(history, "1", 0, ACKS_BEFORE_AND_AFTER, cluster);

        network.cut(Grudge.isolating(victim, others));
        long cutAtNanos = history.nowNanos();
        // Asking an Admin who leads is no proof: it may ask the isolated node itself, which the
        // harness still reaches and whose stale view names itself. An acks=all send invoked
        // after the cut and acknowledged is: the isolated node cannot replicate it.
        Await.until("every partition to acknowledge a send invoked after the cut (its "
                + "leadership moved off node " + victim + ")", STEP_WAIT_MAX, cluster::describe,
            () -> partitionsAckedAfter(history, "0", cutAtNanos).size() == PARTITIONS);
        long movedAtNanos = history.nowNanos();
        System.out.printf("NetworkCutIT: leaderships left node %d %.1f s after the cut%n",
            victim, (movedAtNanos - cutAtNanos) / 1e9);
        awaitAcks(history, "0", movedAtNanos, ACKS_BEFORE_AND_AFTER, cluster);
        network.heal();
        healedAtNanos = history.nowNanos();
        TopicSetup.awaitFullyReplicated(cluster, TOPIC, 3, Duration.ofSeconds(90));
        System.out.printf("NetworkCutIT: node %d back in every ISR %.1f s after the heal%n",
            victim, (history.nowNanos() - healedAtNanos) / 1e9);
        awaitAcks(history, "0", history.nowNanos(), 20, cluster);
      } finally {
        everywhere.close();
        stale.close();
      }
      WorkloadConfig config = new WorkloadConfig(cluster.bootstrap(), TOPIC, PARTITIONS, 1, 1,
          0, false);
      List<Integer> unread = FinalReads.run(config, history, ChaosRun.highestAcked(history.snapshot()),
          10, STEP_WAIT_MAX);
      List<Op> ops = history.snapshot();
      CheckResult result = Checker.check(ops);
      System.out.printf("NetworkCutIT: acked %d, info %d, fail %d; longest stall %.1f s; "
              + "anomalies %s%n", result.acked(), result.info(), result.fail(),
          Stalls.longestAckGapS(ops), result.counts());
      assertThat(unread).as("partitions not read back up to their highest acknowledged offset")
          .isEmpty();
      assertThat(result.anomalies()).as("every acknowledged record read back at its offset "
          + "exactly once (history in " + dir + ")").isEmpty();
      assertThat(result.acked()).isGreaterThanOrEqualTo(2L * ACKS_BEFORE_AND_AFTER);
    }
  }

  private static void awaitAcks(History history, String process, long afterNanos, int count,
      ChaosCluster cluster) {
    Await.until(count + " acknowledged sends of process " + process, STEP_WAIT_MAX,
        cluster::describe, () -> history.snapshot().stream()
            .filter(op -> op.process().equals(process) && op.type() == OpType.OK
                && op.f().equals(Functions.SEND) && op.timeNanos() > afterNanos)
            .count() >= count);
  }

  /** Partitions where {@code process} had a send invoked after {@code afterNanos} acknowledged. */
  private static Set<Integer> partitionsAckedAfter(History history, String process,
      long afterNanos) {
    Set<Integer> acked = new TreeSet<>();
    Op invoke = null;
    for (Op op : history.snapshot()) {
      if (!op.process().equals(process) || !op.f().equals(Functions.SEND)) {
        continue;
      }
      if (op.type() == OpType.INVOKE) {
        invoke = op;
      } else if (op.type() == OpType.OK && invoke != null && invoke.timeNanos() > afterNanos) {
        acked.add(op.value().path("partition").asInt());
      }
    }
    return acked;
  }

  /** The node leading the most partitions of {@code leaders} (partition → leader). */
  private static int mostLeaderships(Map<Integer, Integer> leaders) {
    Map<Integer, Long> counts = leaders.values().stream()
        .collect(Collectors.groupingBy(l -> l, TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** Partition → leader id (-1 if none), as {@code admin}'s brokers see it. */
  private static Map<Integer, Integer> leaders(Admin admin) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames()
        .get(10, TimeUnit.SECONDS).get(TOPIC);
    Map<Integer, Integer> leaders = new TreeMap<>();
    for (TopicPartitionInfo p : d.partitions()) {
      leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id());
    }
    return leaders;
  }

  /** The links that cut one node off from the others. */
  private static final class Grudge {
    static List<Set<Integer>> isolating(int node, List<Integer> others) {
      return others.stream().map(o -> Set.of(node, o)).toList();
    }
  }
}
