package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeLogDirs on three nodes through the official Admin client and Kafka's own {@code
 * kafka-log-dirs} tool: every broker reports its one log dir (absolute path, no error, the
 * volume's total and usable bytes) and in it every replica it holds of a replication-factor-3
 * topic; the sizes grow when records are produced, and end up equal on all three replicas
 * (followers copy the leader's batches byte for byte); {@code describeReplicaLogDirs} finds each
 * replica in its broker's dir and none of a topic that does not exist.
 */
class DescribeLogDirsIT {
  private static final Duration REPLICATED_MAX = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long TOOL_TIMEOUT_S = 180;
  private static final String TOPIC = "sized";
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 200;
  private static final int VALUE_BYTES = 1_000;

  @TempDir static Path dir;
  private static TestCluster cluster;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3, 0, 0, Map.of());
    admin = Admin.create(cluster.clientProps(1));
    admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get();
    awaitSizes("every replica of " + TOPIC + " to be reported by its broker",
        sizes -> sizes.size() == 3 * PARTITIONS);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyReplicaIsReportedAndGrowsWhenRecordsArrive() throws Exception {
    Map<TopicPartitionReplica, Long> before = sizes();
    for (int broker : cluster.brokerIds()) {
      Map<String, LogDirDescription> dirs = describe(broker);
      assertThat(dirs.keySet()).as("log dirs of broker %s", broker)
          .containsExactly(logDir(broker));
      LogDirDescription d = dirs.get(logDir(broker));
      assertThat(d.error()).as("error of %s", logDir(broker)).isNull();
      assertThat(d.totalBytes()).as("total bytes of broker %s's volume", broker).isPresent();
      assertThat(d.totalBytes().getAsLong()).isPositive();
      assertThat(d.usableBytes()).isPresent();
      assertThat(d.usableBytes().getAsLong()).isBetween(0L, d.totalBytes().getAsLong());
    }

    produce();
    Map<TopicPartitionReplica, Long> after = awaitSizes(
        "every replica of " + TOPIC + " to hold the produced records, the same on all three",
        sizes -> sizes.size() == 3 * PARTITIONS && sameSizePerPartition(sizes)
            && sizes.entrySet().stream().allMatch(e -> e.getValue() > before.get(e.getKey())));
    assertThat(after.values()).allMatch(size -> size >= (long) RECORDS / PARTITIONS * VALUE_BYTES,
        "at least the values' bytes");

    for (int broker : cluster.brokerIds()) {
      for (Map.Entry<TopicPartition, ReplicaInfo> e
          : describe(broker).get(logDir(broker)).replicaInfos().entrySet()) {
        assertThat(e.getValue().offsetLag()).as("lag of %s on %s", e.getKey(), broker)
            .isZero();
        assertThat(e.getValue().isFuture()).isFalse();
      }
    }
  }

  @Test
  void describeReplicaLogDirsFindsEachReplicaInItsBrokersDir() throws Exception {
    List<TopicPartitionReplica> replicas = new ArrayList<>();
    for (int broker : cluster.brokerIds()) {
      for (int p = 0; p < PARTITIONS; p++) {
        replicas.add(new TopicPartitionReplica(TOPIC, p, broker));
      }
    }
    TopicPartitionReplica missing = new TopicPartitionReplica("no-such-topic", 0, 1);
    List<TopicPartitionReplica> asked = new ArrayList<>(replicas);
    asked.add(missing);
    Map<TopicPartitionReplica, ReplicaLogDirInfo> found =
        admin.describeReplicaLogDirs(asked).all().get();
    for (TopicPartitionReplica r : replicas) {
      assertThat(found.get(r).getCurrentReplicaLogDir()).as("dir of %s", r)
          .isEqualTo(logDir(r.brokerId()));
      assertThat(found.get(r).getFutureReplicaLogDir()).isNull();
    }
    assertThat(found.get(missing).getCurrentReplicaLogDir()).as("a replica nobody holds")
        .isNull();
  }

  /** v1-3 have no volume sizes (the client sees -1); v4 has them; all list the topic. */
  @Test
  void everyVersionListsTheDirAndItsReplicas() throws Exception {
    for (int v = 1; v <= 4; v++) {
      DescribeLogDirsResponse response = OfficialRequests.send(
          cluster.node(2).boundPort("PLAINTEXT"),
          new DescribeLogDirsRequest.Builder(new DescribeLogDirsRequestData().setTopics(null)),
          v);
      assertThat(response.data().results()).as("v%s", v).hasSize(1);
      DescribeLogDirsResult result = response.data().results().get(0);
      assertThat(Errors.forCode(result.errorCode())).isEqualTo(Errors.NONE);
      assertThat(result.logDir()).isEqualTo(logDir(2));
      assertThat(result.topics()).extracting(DescribeLogDirsTopic::name).as("v%s", v)
          .contains(TOPIC);
      if (v >= 4) {
        assertThat(result.totalBytes()).as("v%s", v).isPositive();
      } else {
        assertThat(result.totalBytes()).as("v%s", v).isEqualTo(-1L);
      }
    }
  }

  /** Kafka's kafka-log-dirs, in a child JVM, prints every replica with its size as JSON. */
  @Test
  void kafkaLogDirsToolDescribesEveryReplica() throws Exception {
    Map<TopicPartitionReplica, Long> sizes = sizes();
    JsonNode json = logDirsTool("--describe", "--topic-list", TOPIC);
    Map<TopicPartitionReplica, Long> printed = new HashMap<>();
    for (JsonNode broker : json.get("brokers")) {
      int id = broker.get("broker").asInt();
      assertThat(broker.get("logDirs")).as("dirs of broker %s", id).hasSize(1);
      JsonNode logDir = broker.get("logDirs").get(0);
      assertThat(logDir.get("logDir").asText()).isEqualTo(logDir(id));
      assertThat(logDir.get("error").isNull()).as("error of broker %s", id).isTrue();
      for (JsonNode p : logDir.get("partitions")) {
        String name = p.get("partition").asText();
        int index = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        printed.put(new TopicPartitionReplica(TOPIC, index, id), p.get("size").asLong());
        assertThat(p.get("offsetLag").asLong()).isZero();
        assertThat(p.get("isFuture").asBoolean()).isFalse();
      }
    }
    assertThat(printed).as("replicas and sizes the tool printed")
        .containsExactlyInAnyOrderEntriesOf(sizes);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String logDir(int broker) {
    return dir.resolve("node-" + broker).toAbsolutePath().normalize().toString();
  }

  private static Map<String, LogDirDescription> describe(int broker) throws Exception {
    return admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker);
  }

  /** The size of every replica of {@link #TOPIC}, as each broker reports its own. */
  private static Map<TopicPartitionReplica, Long> sizes() throws Exception {
    Map<TopicPartitionReplica, Long> sizes = new HashMap<>();
    Map<Integer, Map<String, LogDirDescription>> all =
        admin.describeLogDirs(cluster.brokerIds()).allDescriptions().get();
    all.forEach((broker, dirs) -> dirs.values().forEach(d -> d.replicaInfos().forEach(
        (tp, info) -> {
          if (tp.topic().equals(TOPIC)) {
            sizes.put(new TopicPartitionReplica(tp.topic(), tp.partition(), broker), info.size());
          }
        })));
    return sizes;
  }

  private static boolean sameSizePerPartition(Map<TopicPartitionReplica, Long> sizes) {
    Map<Integer, Long> first = new HashMap<>();
    return sizes.entrySet().stream().allMatch(e ->
        first.computeIfAbsent(e.getKey().partition(), p -> e.getValue()).equals(e.getValue()));
  }

  private interface SizesCondition {
    boolean holds(Map<TopicPartitionReplica, Long> sizes);
  }

  /** Polls {@link #sizes()} until {@code condition} holds; fails naming what it waited for. */
  private static Map<TopicPartitionReplica, Long> awaitSizes(String what,
      SizesCondition condition) throws Exception {
    long deadline = System.nanoTime() + REPLICATED_MAX.toNanos();
    while (true) {
      Map<TopicPartitionReplica, Long> sizes = sizes();
      if (condition.holds(sizes)) {
        return sizes;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + REPLICATED_MAX + " waiting for " + what
            + "; the sizes were " + sizes);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void produce() throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", cluster.bootstrap());
    config.put("acks", "all");
    byte[] value = new byte[VALUE_BYTES];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
      }
      producer.flush();
    }
  }

  /** Runs {@code org.apache.kafka.tools.LogDirsCommand} and parses the JSON line it prints. */
  private static JsonNode logDirsTool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.LogDirsCommand",
        "--bootstrap-server", cluster.bootstrap()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS))
        .as("kafka-log-dirs finished within %s s", TOOL_TIMEOUT_S).isTrue();
    String output = new String(out, StandardCharsets.UTF_8);
    System.out.println("kafka-log-dirs " + String.join(" ", args) + "\n" + output);
    assertThat(process.exitValue()).as("kafka-log-dirs failed:%n%s", output).isZero();
    String jsonLine = output.lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON in kafka-log-dirs' output:\n" + output));
    return new ObjectMapper().readTree(jsonLine);
  }
}
