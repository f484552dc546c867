package io.rill.broker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaPropertiesTest {

  @Test
  void theFirstStartFormatsAndARestartReusesTheClusterId(@TempDir Path dir) throws Exception {
    List<Path> dirs = List.of(dir.resolve("a"), dir.resolve("b"));
    MetaProperties first = MetaProperties.formatOrVerify(dirs, 1);
    assertThat(first.clusterId()).hasSize(22);
    assertThat(Files.readString(dir.resolve("b/meta.properties"))).contains("cluster.id=" + first.clusterId());
    assertThat(MetaProperties.formatOrVerify(dirs, 1)).isEqualTo(first);
  }

  @Test
  void aDataDirOfAnotherNodeOrClusterIsRefused(@TempDir Path dir) throws Exception {
    MetaProperties.formatOrVerify(List.of(dir.resolve("a")), 1);
    assertThatThrownBy(() -> MetaProperties.formatOrVerify(List.of(dir.resolve("a")), 2))
        .hasMessageContaining("node.id 1");
    MetaProperties.formatOrVerify(List.of(dir.resolve("b")), 1);
    assertThatThrownBy(() -> MetaProperties.formatOrVerify(List.of(dir.resolve("a"), dir.resolve("b")), 1))
        .hasMessageContaining("cluster");
  }
}
