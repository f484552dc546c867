package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dynamic broker config lives in the metadata quorum, not in the node's file: after a restart
 * the broker still runs with it, including for the logs it opens before it has read the
 * metadata image (they are re-configured as soon as the image arrives).
 */
class DynamicBrokerConfigsRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void aClusterDefaultSurvivesARestartAndReachesTheReopenedLogs() throws Exception {
    try (TestNode node = TestNode.start(dir)) {
      try (Admin admin = Admin.create(node.clientProps())) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all()
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        admin.incrementalAlterConfigs(Map.of(
            new ConfigResource(ConfigResource.Type.BROKER, ""),
            List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "90000"),
                AlterConfigOp.OpType.SET)))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      node.restart();
      TestCluster.await("the reopened log of 'kept' to have the dynamic retention.ms=90000",
          WAIT, () -> node.node().logManager().log(new TopicPartition("kept", 0))
              .map(l -> l.config().retentionMs() == 90_000L).orElse(false));
      try (Admin admin = Admin.create(node.clientProps())) {
        ConfigResource self = new ConfigResource(ConfigResource.Type.BROKER, "1");
        ConfigEntry e = admin.describeConfigs(List.of(self)).all()
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(self).get("log.retention.ms");
        assertThat(e.value()).isEqualTo("90000");
        assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      }
    }
  }
}
