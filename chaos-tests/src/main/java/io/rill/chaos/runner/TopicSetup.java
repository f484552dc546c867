package io.rill.chaos.runner;

import io.rill.chaos.cluster.Await;
import io.rill.chaos.cluster.RillCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/** The workload's topic: created with RF 3 and min.insync.replicas=2, and its health. */
public final class TopicSetup {
  private static final long ADMIN_WAIT_MS = 10_000;

  private TopicSetup() {}

  public static void create(RillCluster cluster, String topic, int partitions,
      short replicationFactor, Duration timeout) {
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)
              .configs(Map.of("min.insync.replicas", "2"))))
          .all().get(ADMIN_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
    awaitFullyReplicated(cluster, topic, replicationFactor, timeout);
  }

  /** Waits until every partition has a leader and all {@code replicas} in its ISR. */
  public static void awaitFullyReplicated(RillCluster cluster, String topic, int replicas,
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
