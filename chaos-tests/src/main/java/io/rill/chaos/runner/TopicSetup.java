package io.rill.chaos.runner;

import io.rill.chaos.cluster.Await;
import io.rill.chaos.cluster.ChaosCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The workload's topic: created with RF 3 and min.insync.replicas=2 (and, for unsafe runs,
 * unclean.leader.election.enable=true), and its health.
 */
public final class TopicSetup {
  /** The topic settings of a safe run. */
  public static final Map<String, String> SAFE = Map.of("min.insync.replicas", "2");
  /** Those of an unsafe run: an out-of-sync replica may be elected leader. */
  public static final Map<String, String> UNSAFE = Map.of("min.insync.replicas", "2",
      "unclean.leader.election.enable", "true");
  private static final long ADMIN_WAIT_MS = 10_000;

  private TopicSetup() {}

  public static void create(ChaosCluster cluster, String topic, int partitions,
      short replicationFactor, Map<String, String> configs, Duration timeout) {
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)
              .configs(configs)))
          .all().get(ADMIN_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
    awaitFullyReplicated(cluster, topic, replicationFactor, timeout);
  }

  /** Waits until every partition has a leader and all {@code replicas} in its ISR. */
  public static void awaitFullyReplicated(ChaosCluster cluster, String topic, int replicas,
      Duration timeout) {
    try (Admin admin = cluster.admin()) {
      Await.until("every partition of " + topic + " to have a leader and " + replicas
          + " in-sync replicas", timeout, cluster::describe, () -> {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(ADMIN_WAIT_MS, TimeUnit.MILLISECONDS).get(topic);
            return d.partitions().stream().allMatch(p -> p.leader() != null
                && p.leader().id() >= 0 && p.isr().size() == replicas);
          });
    }
  }
}
