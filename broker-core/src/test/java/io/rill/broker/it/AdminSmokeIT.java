package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSmokeIT {
  @Test
  void theOfficialAdminClientDescribesTheCluster(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps())) {
      DescribeClusterResult cluster = admin.describeCluster();
      assertThat(cluster.clusterId().get(10, TimeUnit.SECONDS)).isEqualTo(node.node().clusterId());
      assertThat(cluster.nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
      assertThat(cluster.controller().get(10, TimeUnit.SECONDS).id()).isEqualTo(1);
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).isEmpty();
    }
  }
}
