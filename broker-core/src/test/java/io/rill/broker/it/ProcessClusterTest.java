package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ProcessCluster} writes before any process starts: every node file names every
 * voter and only the voters, ports are distinct, overrides land on the right node; and a failed
 * wait says what it waited for. No JVM is started here (see ProcessClusterIT).
 */
class ProcessClusterTest {
  @Test
  void nodeFilesNameTheControllersAsVotersAndBrokersAsBootstrap(@TempDir Path dir)
      throws IOException {
    ProcessCluster cluster = ProcessCluster.builder(dir)
        .node(1, NodeRole.CONTROLLER).node(2, NodeRole.COMBINED).node(3, NodeRole.BROKER)
        .override("num.partitions", "5")
        .override(3, "advertised.listeners", "PLAINTEXT://localhost:{clientPort}")
        .build();
    NodeProcess controller = cluster.node(1);
    NodeProcess combined = cluster.node(2);
    NodeProcess broker = cluster.node(3);

    assertThat(cluster.voters()).isEqualTo("1@127.0.0.1:" + controller.raftPort()
        + ",2@127.0.0.1:" + combined.raftPort());
    assertThat(cluster.bootstrap()).isEqualTo(combined.clientAddress() + ","
        + broker.clientAddress());
    assertThat(cluster.nodes().stream().flatMap(n -> List.of(n.clientPort(), n.raftPort())
        .stream())).as("ports").doesNotHaveDuplicates().hasSize(6);

    for (NodeProcess n : cluster.nodes()) {
      Properties p = load(n.nodeFile());
      assertThat(p.getProperty("node.id")).isEqualTo("" + n.id());
      assertThat(p.getProperty("process.roles")).isEqualTo(n.role().processRoles);
      assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(cluster.voters());
      assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:" + n.clientPort());
      assertThat(p.getProperty("log.dirs")).isEqualTo(dir.resolve("node-" + n.id() + "/data")
          .toString());
      assertThat(p.getProperty("num.partitions")).isEqualTo("5");
      assertThat(n.dataDir()).isDirectory();
    }
    assertThat(load(broker.nodeFile()).getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://localhost:" + broker.clientPort());
    assertThat(load(combined.nodeFile()).getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:" + combined.clientPort());
  }

  @Test
  void aClusterWithoutControllersIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> ProcessCluster.builder(dir).node(1, NodeRole.BROKER).build())
        .hasMessageContaining("at least one controller");
  }

  @Test
  void aFailedWaitNamesWhatItWaitedForAndTheLastError(@TempDir Path dir) {
    ProcessCluster cluster = ProcessCluster.builder(dir).nodes(1).build();
    AtomicInteger polls = new AtomicInteger();
    assertThatThrownBy(() -> cluster.await("the moon to turn blue", Duration.ofMillis(300),
        () -> {
          polls.incrementAndGet();
          throw new IllegalStateException("still white");
        }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("waiting for the moon to turn blue")
        .hasMessageContaining("still white")
        .hasMessageContaining("node 1 (COMBINED, client " + cluster.node(1).clientPort())
        .hasMessageContaining("never started");
    assertThat(polls.get()).as("polls").isGreaterThan(1);
  }

  /** awaitLog gives the first match of the run, lastLogMatch the newest. */
  @Test
  void logMatchesAreTheFirstOrTheNewestLineOfTheRun(@TempDir Path dir) throws IOException {
    ProcessCluster cluster = ProcessCluster.builder(dir).nodes(1).build();
    String leader = "Quorum leader is now node (\\d+)";
    assertThat(cluster.lastLogMatch(1, leader)).isEmpty();
    // Before any start the whole file is "the run": a stand-in for a node's output.
    Files.writeString(cluster.node(1).outputFile(), String.join("\n",
        "[t1] INFO Quorum leader is now node 1", "[t2] INFO something else",
        "[t3] INFO Quorum leader is now node 3", ""));
    assertThat(cluster.lastLogMatch(1, leader).orElseThrow().group(1)).isEqualTo("3");
    assertThatThrownBy(() -> cluster.awaitLog(1, "no such line", Duration.ofSeconds(5)))
        .hasMessageContaining("it is not running");
    assertThat(cluster.node(1).findInRun(java.util.regex.Pattern.compile(leader)).orElseThrow()
        .group(1)).isEqualTo("1");
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }
}
