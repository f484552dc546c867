package io.rill.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.BrokerConfigDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference and the sample node file cannot drift from the code: the checked-in
 * {@code docs/configuration.md} must equal what {@link ConfigReference} generates from the
 * definitions, and {@code config/node.properties} must load without unknown keys.
 */
class ConfigReferenceTest {
  /** Surefire runs in the module directory; the docs live at the repository root. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = ROOT.resolve("docs/configuration.md");
  private static final Path SAMPLE = ROOT.resolve("config/node.properties");

  @Test
  void docsConfigurationMdIsUpToDate() throws Exception {
    String generated = ConfigReference.markdown();
    if (Boolean.getBoolean("rill.docs.write")) {
      Files.writeString(DOC, generated);
    }
    assertThat(DOC).as("docs/configuration.md exists").exists();
    assertThat(Files.readString(DOC))
        .as("docs/configuration.md is stale; regenerate it with%n  %s%n",
            ConfigReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyBrokerKeyIsDocumentedWithItsDefault() {
    String md = ConfigReference.markdown();
    for (String key : BrokerConfigDef.DEF.keys().keySet()) {
      assertThat(md).contains("| `" + key + "` |");
    }
    assertThat(md).contains("| `num.partitions` | int | `1` | at least 1 |")
        .contains("| `group.initial.rebalance.delay.ms` | int | `3000`; embedded default `0`")
        .contains("| `log.retention.hours` | int | `168` | at least -1 |")
        .contains("| dynamic; per topic: `retention.ms` |")
        .contains("| `num.io.threads` | int | `8` | at least 1 | ")
        .contains("| `leader.replication.throttled.rate` | long |");
    assertThat(md.lines().filter(l -> l.startsWith("| `num.io.threads`")).findFirst()
        .orElseThrow()).endsWith("| restart |");
  }

  @Test
  void theSampleNodeFileLoadsWithoutUnknownKeys() throws Exception {
    BrokerConfig c = BrokerConfig.load(SAMPLE, Map.of());
    assertThat(c.unknownKeys()).isEmpty();
    assertThat(c.isController()).isTrue();
    assertThat(c.voters()).anyMatch(v -> v.id() == c.nodeId());
    assertThat(Files.readString(SAMPLE)).contains("node.id=", "process.roles=", "listeners=",
        "advertised.listeners=", "controller.quorum.voters=", "log.dirs=");
  }
}
