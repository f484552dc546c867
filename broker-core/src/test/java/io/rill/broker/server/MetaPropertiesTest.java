package io.rill.broker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.metadata.ClusterIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaPropertiesTest {

  @Test
  void theAgreedClusterIdIsWrittenOnFirstJoinAndReadBack(@TempDir Path dir) throws Exception {
    List<Path> dirs = List.of(dir.resolve("a"), dir.resolve("b"));
    assertThat(MetaProperties.readExisting(dirs, 1)).isEmpty();
    String cluster = ClusterIds.random();
    MetaProperties first = MetaProperties.ensure(dirs, 1, cluster);
    assertThat(first.clusterId()).isEqualTo(cluster).hasSize(22);
    assertThat(Files.readString(dir.resolve("b/meta.properties"))).contains("cluster.id=" + cluster);
    assertThat(MetaProperties.readExisting(dirs, 1)).contains(first);
    assertThat(MetaProperties.ensure(dirs, 1, cluster)).isEqualTo(first);
  }

  @Test
  void aDataDirOfAnotherNodeOrClusterIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
    MetaProperties.ensure(List.of(dir.resolve("a")), 1, "clusterA");
    assertThatThrownBy(() -> MetaProperties.readExisting(List.of(dir.resolve("a")), 2))
        .hasMessageContaining("node.id 1").hasMessageContaining("node.id 2");
    assertThatThrownBy(() -> MetaProperties.ensure(List.of(dir.resolve("a")), 1, "clusterB"))
        .hasMessageContaining("clusterA").hasMessageContaining("clusterB");
    MetaProperties.ensure(List.of(dir.resolve("b")), 1, "clusterC");
    assertThatThrownBy(() -> MetaProperties.readExisting(List.of(dir.resolve("a"), dir.resolve("b")), 1))
        .hasMessageContaining("clusterA").hasMessageContaining("clusterC");
  }
}
