package io.rill.broker.it;

import static io.rill.broker.it.AdminTopicsIT.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * describeCluster through the DescribeCluster API, and admin state that must outlive a restart
 * of the node (topic ids and config overrides come back from the metadata quorum's log).
 */
class AdminClusterIT {
  @Test
  void describeClusterNamesThisNodeAsBrokerAndController(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps())) {
      DescribeClusterResult cluster = admin.describeCluster();
      assertThat(get(cluster.clusterId())).isEqualTo(node.node().clusterId());
      Collection<Node> nodes = get(cluster.nodes());
      assertThat(nodes).singleElement().satisfies(n -> {
        assertThat(n.id()).isEqualTo(1);
        assertThat(n.host()).isEqualTo("127.0.0.1");
        assertThat(n.port()).isEqualTo(node.port());
        assertThat(n.hasRack()).isFalse();
      });
      assertThat(get(cluster.controller())).isEqualTo(nodes.iterator().next());
    }
  }

  @Test
  void topicIdsAndConfigOverridesSurviveARestart(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      Uuid id;
      try (Admin admin = Admin.create(node.clientProps())) {
        id = get(admin.createTopics(List.of(new NewTopic("durable", 2, (short) 1)
            .configs(Map.of("retention.ms", "120000")))).topicId("durable"));
      }
      node.restart();
      try (Admin admin = Admin.create(node.clientProps())) {
        assertThat(get(admin.describeTopics(List.of("durable")).allTopicNames()).get("durable")
            .topicId()).isEqualTo(id);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "durable");
        Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo("120000");
        assertThat(config.get("retention.ms").source())
            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(node.node().logManager()
            .log(new io.rill.broker.log.TopicPartition("durable", 1)).orElseThrow()
            .config().retentionMs()).isEqualTo(120_000L);
      }
    }
  }
}
