package io.rill.chaos.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own kafka-configs tool ({@code kafka.admin.ConfigCommand} from the kafka_2.13
 * jar) manages Rill's dynamic broker configs: the cluster-wide default ({@code --entity-default})
 * and one broker's values ({@code --entity-name}), described with Kafka's sources and synonyms,
 * and a read-only key refused with a message naming it. The tool runs in a child JVM on the test
 * classpath, against a real node in this JVM.
 */
class KafkaConfigCommandIT {
  @TempDir Path dir;

  @Test
  void kafkaConfigsAltersAndDescribesClusterDefaultAndPerBrokerConfigs() throws Exception {
    try (TestNode node = TestNode.start(dir, Map.of("log.retention.hours", "48"))) {
      String bootstrap = node.bootstrap();
      assertOk(configs(bootstrap, "--alter", "--entity-type", "brokers", "--entity-default",
          "--add-config", "log.retention.hours=5"));
      assertOk(configs(bootstrap, "--alter", "--entity-type", "brokers", "--entity-name", "1",
          "--add-config", "log.retention.hours=6,min.insync.replicas=1"));

      String defaults = assertOk(configs(bootstrap, "--describe", "--entity-type", "brokers",
          "--entity-default"));
      // As in Kafka, the default's synonyms leave out the per-broker level only.
      assertThat(defaults).contains("log.retention.hours=5 sensitive=false synonyms="
          + "{DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.hours=5, STATIC_BROKER_CONFIG:"
          + "log.retention.hours=48, DEFAULT_CONFIG:log.retention.hours=168}")
          .doesNotContain("=6");
      String broker = assertOk(configs(bootstrap, "--describe", "--entity-type", "brokers",
          "--entity-name", "1"));
      assertThat(broker).contains("log.retention.hours=6 sensitive=false synonyms="
          + "{DYNAMIC_BROKER_CONFIG:log.retention.hours=6, DYNAMIC_DEFAULT_BROKER_CONFIG:"
          + "log.retention.hours=5, STATIC_BROKER_CONFIG:log.retention.hours=48, "
          + "DEFAULT_CONFIG:log.retention.hours=168}");

      KafkaTool refused = configs(bootstrap, "--alter", "--entity-type", "brokers", "--entity-name",
          "1", "--add-config", "num.io.threads=2");
      assertThat(refused.exit()).as(refused.output()).isNotZero();
      assertThat(refused.output())
          .contains("Cannot update these configs dynamically: num.io.threads");

      assertOk(configs(bootstrap, "--alter", "--entity-type", "brokers", "--entity-name", "1",
          "--delete-config", "log.retention.hours,min.insync.replicas"));
      assertOk(configs(bootstrap, "--alter", "--entity-type", "brokers", "--entity-default",
          "--delete-config", "log.retention.hours"));
      String all = assertOk(configs(bootstrap, "--describe", "--entity-type", "brokers",
          "--entity-name", "1", "--all"));
      assertThat(all).contains("log.retention.hours=48 sensitive=false synonyms="
          + "{STATIC_BROKER_CONFIG:log.retention.hours=48, DEFAULT_CONFIG:"
          + "log.retention.hours=168}");
      assertThat(all).contains("num.io.threads=8");
    }
  }

  private static String assertOk(KafkaTool run) {
    return run.ok();
  }

  private static KafkaTool configs(String bootstrap, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
    all.addAll(List.of(args));
    return KafkaTool.run("kafka.admin.ConfigCommand", all);
  }
}
