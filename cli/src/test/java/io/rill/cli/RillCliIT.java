package io.rill.cli;


import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every admin command of {@code rill} against a real node: tables, JSON and exit codes. */
class RillCliIT extends CliNodeFixture {
  @Test
  void topicsLifecycleInTablesAndJson() {
    ok(cli.run("topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=3600000"));
    Cli.Result list = ok(cli.run("topics", "list"));
    assertThat(list.out()).startsWith("NAME").contains("orders").containsPattern("orders +3 +1");
    assertThat(ok(cli.run("--output", "json", "topics", "list")).out())
        .contains("{\"name\":\"orders\",\"partitions\":3,\"replicationFactor\":1,\"internal\":false}");

    Cli.Result describe = ok(cli.run("topics", "describe", "orders"));
    assertThat(describe.out()).contains("Topic: orders").contains("PARTITION  LEADER")
        .contains("LOG_END_OFFSET").contains("retention.ms=3600000");
    Cli.Result json = ok(cli.run("topics", "describe", "orders", "--output", "json"));
    assertThat(json.out().trim()).startsWith("{\"topics\":[{\"name\":\"orders\"")
        .contains("\"partitionCount\":3").contains("\"logStartOffset\":0")
        .contains("\"configs\":{\"retention.ms\":\"3600000\"}");
    assertThat(json.out().trim().split("\n")).hasSize(1);

    ok(cli.run("topics", "alter", "orders", "--partitions", "5"));
    assertThat(ok(cli.run("--output", "json", "topics", "describe", "orders")).out())
        .contains("\"partitionCount\":5");

    ok(cli.run("topics", "delete", "orders"));
    assertThat(ok(cli.run("topics", "list")).out()).doesNotContain("orders");
    ok(cli.run("topics", "delete", "orders", "--if-exists"));
  }

  @Test
  void refusedRequestExitsOneWithTheKafkaErrorName() {
    ok(cli.run("topics", "create", "dup"));
    Cli.Result again = cli.run("topics", "create", "dup");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("TOPIC_ALREADY_EXISTS");
    ok(cli.run("topics", "create", "dup", "--if-not-exists"));
    Cli.Result missing = cli.run("topics", "describe", "no-such-topic");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("UNKNOWN_TOPIC_OR_PARTITION");
  }

  @Test
  void usageErrorExitsTwoWithMessageAndUsage() {
    Cli.Result r = cli.run("topics", "create");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter").contains("Usage: rill topics create");
    Cli.Result bad = cli.run("--output", "xml", "topics", "list");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(cli.run("no-such-command").exit()).isEqualTo(2);
    assertThat(Cli.raw("", Map.of()).exit()).isEqualTo(2);
  }

  @Test
  void unreachableBrokerExitsThree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long start = System.currentTimeMillis();
    Cli.Result r = Cli.raw("", Map.of(), "--bootstrap-server", "127.0.0.1:" + port,
        "--request-timeout-ms", "500", "topics", "list");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).contains("cannot reach 127.0.0.1:" + port);
    assertThat(System.currentTimeMillis() - start).isLessThan(10_000);
  }

  @Test
  void aRefusedConnectionOrAnUnknownHostExitsThreeWithoutWaitingForTheTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    for (String server : new String[] {"127.0.0.1:" + port, "no-such-broker.invalid:9092"}) {
      long start = System.currentTimeMillis();
      Cli.Result r = Cli.raw("", Map.of(), "--bootstrap-server", server, "topics", "list");
      long took = System.currentTimeMillis() - start;
      System.out.printf("RillCliIT: %s -> exit %d after %d ms: %s", server, r.exit(), took,
          r.err());
      assertThat(r.exit()).as(r.toString()).isEqualTo(3);
      assertThat(r.err()).contains("cannot reach " + server);
      assertThat(took).as("default timeout is 30 s").isLessThan(10_000);
    }
  }

  @Test
  void bootstrapComesFromEnvironmentThenCommandConfig() throws Exception {
    Cli.Result env = Cli.raw("", Map.of("RILL_BOOTSTRAP", node.bootstrap()), "cluster", "describe");
    ok(env);
    Path config = dir.resolve("client.properties");
    Files.writeString(config, "bootstrap.servers=" + node.bootstrap() + "\nclient.id=ops\n");
    ok(Cli.raw("", Map.of(), "--command-config", config.toString(), "topics", "list"));
  }

  @Test
  void clusterDescribe() {
    ok(cli.run("topics", "create", "led", "--partitions", "4"));
    Cli.Result t = ok(cli.run("cluster", "describe"));
    assertThat(t.out()).contains("Cluster ID: ").contains("Controller: 1")
        .containsPattern("ID +HOST +PORT +RACK +CONTROLLER +STATUS +PARTITIONS_LED")
        .containsPattern("(?m)^1 +127\\.0\\.0\\.1 +" + node.port() + " +- +true +online +\\d+$")
        .containsPattern("Quorum: leader 1, epoch \\d+, high watermark \\d+")
        .containsPattern("(?m)^1 +leader +\\d+ +0 +-$");
    Cli.Result j = ok(cli.run("cluster", "describe", "--output", "json"));
    assertThat(j.out()).containsPattern("\\{\"clusterId\":\"[^\"]+\",\"controllerId\":1,\"nodes\":\\[\\{\"id\":1,")
        .contains("\"status\":\"online\",\"partitionsLed\":")
        .contains("\"quorum\":{\"available\":true,\"leaderId\":1,")
        .containsPattern("\"voters\":\\[\\{\"id\":1,\"role\":\"leader\",\"logEndOffset\":\\d+,\"lag\":0,")
        .contains("\"observers\":[]");
  }

  @Test
  void configsDescribeAndAlter() {
    ok(cli.run("topics", "create", "cfg"));
    ok(cli.run("configs", "alter", "--topic", "cfg", "--set", "cleanup.policy=compact",
        "segment.bytes=1048576"));
    Cli.Result d = ok(cli.run("configs", "describe", "--topic", "cfg"));
    assertThat(d.out()).startsWith("NAME").containsPattern("cleanup.policy +compact +DYNAMIC_TOPIC_CONFIG");
    ok(cli.run("configs", "alter", "--topic", "cfg", "--delete", "cleanup.policy"));
    Cli.Result j = ok(cli.run("--output", "json", "configs", "describe", "--topic", "cfg"));
    assertThat(j.out()).contains("\"resourceType\":\"topic\"")
        .contains("{\"name\":\"cleanup.policy\",\"value\":\"delete\"")
        .contains("{\"name\":\"segment.bytes\",\"value\":\"1048576\",\"source\":\"DYNAMIC_TOPIC_CONFIG\"");
    Cli.Result broker = ok(cli.run("configs", "describe", "--broker", "1"));
    assertThat(broker.out()).startsWith("NAME");
    // A refused broker change names the broker, not a topic.
    Cli.Result alterBroker = cli.run("configs", "alter", "--broker", "1", "--set",
        "no.such.key=1");
    assertThat(alterBroker.exit()).as(alterBroker.toString()).isEqualTo(1);
    assertThat(alterBroker.err()).contains("INVALID_REQUEST: broker 1:").doesNotContain("topic");
    assertThat(cli.run("configs", "describe").exit()).isEqualTo(2);
  }

  @Test
  void brokerConfigsChangeAsAClusterDefaultAndPerBroker() {
    ok(cli.run("configs", "alter", "--broker-defaults", "--set", "log.retention.hours=100"));
    assertThat(ok(cli.run("configs", "describe", "--broker-defaults")).out())
        .containsPattern("log.retention.hours +100 +DYNAMIC_DEFAULT_BROKER_CONFIG");
    ok(cli.run("configs", "alter", "--broker", "1", "--set", "log.retention.hours=101"));
    assertThat(ok(cli.run("configs", "describe", "--broker", "1")).out())
        .containsPattern("log.retention.hours +101 +DYNAMIC_BROKER_CONFIG");
    Cli.Result refused = cli.run("configs", "alter", "--broker", "1", "--set",
        "num.io.threads=2");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("broker 1")
        .contains("Cannot update these configs dynamically: num.io.threads");
    ok(cli.run("configs", "alter", "--broker", "1", "--delete", "log.retention.hours"));
    ok(cli.run("configs", "alter", "--broker-defaults", "--delete", "log.retention.hours"));
    assertThat(ok(cli.run("configs", "describe", "--broker", "1")).out())
        .containsPattern("log.retention.hours +168 +DEFAULT_CONFIG");
  }

  @Test
  void generateCompletion() {
    Cli.Result r = ok(cli.run("generate-completion"));
    assertThat(r.out()).contains("complete -F").contains("_picocli_rill");
  }
}
