package io.rill.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rill.broker.it.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect 4.1 in distributed mode against a Rill node: the worker creates its config,
 * offset and status topics compacted (Connect refuses topics that are not), a FileStreamSource
 * copies a file into a topic and a FileStreamSink writes the topic back out byte for byte; a
 * second worker joins the group, the first is killed with SIGKILL, and the second resumes both
 * connectors from the offsets Connect committed through Rill (source offsets in the offsets
 * topic, sink offsets in the sink's consumer group) without duplicating a line.
 *
 * <p>The worker runs in a child JVM (see {@link ConnectWorker}); this JVM holds the broker and
 * talks to it with kafka-clients 3.9. The file contents are random from a printed seed
 * ({@code -Drill.seed=} replays one).
 */
class KafkaConnectIT {
  private static final int LINES_BEFORE_KILL = 3_000;
  private static final int LINES_AFTER_KILL = 1_000;
  private static final String GROUP = "rill-connect-it";
  private static final String CONFIG_TOPIC = "rill-connect-configs";
  private static final String OFFSET_TOPIC = "rill-connect-offsets";
  private static final String STATUS_TOPIC = "rill-connect-status";
  private static final String DATA_TOPIC = "file-lines";
  /** A worker's start: a JVM, plugin discovery, joining the group, reading its topics. */
  private static final Duration WORKER_START_MAX = Duration.ofSeconds(60);
  /** Copying the file there and back. */
  private static final Duration COPY_MAX = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static TestNode node;
  private static Admin admin;
  private static Path work;
  private final List<ConnectWorker> workers = new ArrayList<>();
  private ConnectWorker worker;

  @BeforeAll
  static void start() throws IOException {
    // Connect asks for 10 s sessions by default; the test asks for less (see workerConfig), so
    // a killed worker's group membership ends sooner.
    node = TestNode.start(dataDir, Map.of("offsets.topic.num.partitions", "4",
        "group.min.session.timeout.ms", "1000"));
    admin = Admin.create(node.clientProps());
    // Logs, worker properties and the two files stay under target/ for a look after a failure.
    work = ChildJvm.freshWorkDir("kafka-connect-it");
  }

  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (ConnectWorker w : workers) {
      w.close();
    }
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void connectorsCopyAFileAndMoveToASecondWorkerWhenTheFirstIsKilled() throws Exception {
    long seed = Long.getLong("rill.seed", System.nanoTime());
    System.out.println("KafkaConnectIT seed " + seed + " (-Drill.seed=" + seed + " replays it)");
    Random random = new Random(seed);
    Path source = work.resolve("source.txt").toAbsolutePath();
    Path sink = work.resolve("sink.txt").toAbsolutePath();
    // One partition: the sink writes lines in the order the source read them.
    admin.createTopics(List.of(new NewTopic(DATA_TOPIC, 1, (short) 1))).all()
        .get(30, TimeUnit.SECONDS);
    // FileStreamSource counts its position in chars but skips bytes when it resumes
    // (connect-file 4.1), so text before the kill is ASCII; the lines after it carry the rest.
    Files.writeString(source, lines(random, 0, LINES_BEFORE_KILL, Alphabet.ASCII));

    worker = startWorker("worker-1");
    awaitInternalTopicsCompacted();
    createConnector("file-source", Map.of(
        "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
        "tasks.max", "1", "file", source.toString(), "topic", DATA_TOPIC));
    createConnector("file-sink", Map.of(
        "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
        "tasks.max", "1", "file", sink.toString(), "topics", DATA_TOPIC));
    awaitSinkEqualsSource(source, sink);
    // Everything is written; kill only once Connect has also committed it (source position in
    // the offsets topic, sink offset in its group), or the kill would duplicate lines by design.
    long sourceBytes = Files.size(source);
    await("file-source's committed position " + sourceBytes, WORKER_START_MAX,
        () -> committed("file-source", "position", sourceBytes));
    await("file-sink's committed offset " + LINES_BEFORE_KILL, WORKER_START_MAX,
        () -> committed("file-sink", "kafka_offset", LINES_BEFORE_KILL));

    // A second worker joins the group (two members choosing a "connect" sub-protocol), then the
    // first is killed and the second takes its connectors over.
    ConnectWorker first = worker;
    worker = startWorker("worker-2");
    // Its REST API may answer before it is in the group: its log says when it is.
    await("worker-2 to join the worker group", WORKER_START_MAX,
        () -> worker.logContains("Joined group at generation") ? null : "not joined yet");
    first.kill();
    System.out.println("killed worker-1 (SIGKILL)");
    Files.writeString(source, lines(random, LINES_BEFORE_KILL, LINES_AFTER_KILL, Alphabet.UNICODE),
        StandardOpenOption.APPEND);
    awaitSinkEqualsSource(source, sink);
    awaitRunning("file-source");
    awaitRunning("file-sink");
    // Not only the sink file: the topic itself holds each line once.
    TopicPartition data = new TopicPartition(DATA_TOPIC, 0);
    long end = admin.listOffsets(Map.of(data, OffsetSpec.latest())).partitionResult(data)
        .get(30, TimeUnit.SECONDS).offset();
    assertThat(end).as("records in %s", DATA_TOPIC)
        .isEqualTo(LINES_BEFORE_KILL + LINES_AFTER_KILL);
  }

  private ConnectWorker startWorker(String name) throws IOException {
    ConnectWorker w = ConnectWorker.start(ChildJvm.connectLib(), work, name, workerConfig());
    workers.add(w);
    return w;
  }

  private static Map<String, String> workerConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("bootstrap.servers", node.bootstrap());
    c.put("group.id", GROUP);
    c.put("config.storage.topic", CONFIG_TOPIC);
    c.put("offset.storage.topic", OFFSET_TOPIC);
    c.put("status.storage.topic", STATUS_TOPIC);
    // One node: Connect's default replication factor of 3 cannot be placed.
    c.put("config.storage.replication.factor", "1");
    c.put("offset.storage.replication.factor", "1");
    c.put("status.storage.replication.factor", "1");
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("offset.flush.interval.ms", "500");
    // The file connectors are on the class path (no plugin.path) and declare themselves in
    // META-INF/services, so the worker need not scan every jar.
    c.put("plugin.discovery", "service_load");
    // The killed worker's place in the worker group and in the sink's consumer group ends after
    // its session timeout; the survivor waits for that.
    c.put("session.timeout.ms", "4000");
    c.put("heartbeat.interval.ms", "1000");
    c.put("consumer.session.timeout.ms", "4000");
    c.put("consumer.heartbeat.interval.ms", "1000");
    // A departed worker's connectors go to the others at once, not after Connect's default
    // 5 minutes of waiting for it to come back (KIP-415).
    c.put("scheduled.rebalance.max.delay.ms", "0");
    return c;
  }

  /** Connect's three topics exist, report cleanup.policy=compact, and configs has 1 partition. */
  private void awaitInternalTopicsCompacted() throws Exception {
    List<String> topics = List.of(CONFIG_TOPIC, OFFSET_TOPIC, STATUS_TOPIC);
    await("Connect's topics " + topics + " to exist", WORKER_START_MAX, () -> {
      var names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      return names.containsAll(topics) ? null : "topics " + names;
    });
    Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
        .all().get(30, TimeUnit.SECONDS);
    for (String topic : topics) {
      ConfigEntry policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
          .get("cleanup.policy");
      System.out.println(topic + ": " + policy);
      assertThat(policy).as("%s's cleanup.policy", topic).isNotNull();
      assertThat(policy.value()).as("%s's cleanup.policy", topic).isEqualTo("compact");
    }
    Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
        .get(30, TimeUnit.SECONDS);
    assertThat(described.get(CONFIG_TOPIC).partitions()).as("config topic partitions").hasSize(1);
  }

  private void createConnector(String name, Map<String, String> config) throws Exception {
    String body = "{\"name\":" + json(name) + ",\"config\":{" + config.entrySet().stream()
        .map(e -> json(e.getKey()) + ":" + json(e.getValue())).collect(Collectors.joining(","))
        + "}}";
    // Until the worker has joined its group and read the config topic it answers 409 (rebalance
    // in progress) or not at all.
    await("POST /connectors " + name + " to answer 201", WORKER_START_MAX, () -> {
      ConnectWorker.Answer a = worker.call("POST", "/connectors", body);
      return a.status() == 201 ? null : a.toString();
    });
  }

  /** The connector and its task are RUNNING on the current worker (per the status topic). */
  private void awaitRunning(String connector) throws Exception {
    await(connector + " and its task RUNNING on " + worker.id(), WORKER_START_MAX, () -> {
      ConnectWorker.Answer a = worker.call("GET", "/connectors/" + connector + "/status", null);
      String body = a.body();
      boolean running = a.status() == 200 && body.contains("\"tasks\":[{")
          && !body.replace("\"state\":\"RUNNING\"", "").contains("\"state\"")
          && !body.replace("\"worker_id\":" + json(worker.id()), "").contains("\"worker_id\"");
      return running ? null : a.toString();
    });
  }

  /** Null once the connector's committed offset (REST, KIP-875) has {@code field} = value. */
  private String committed(String connector, String field, long value)
      throws InterruptedException {
    ConnectWorker.Answer a = worker.call("GET", "/connectors/" + connector + "/offsets", null);
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(a.body());
    return a.status() == 200 && m.find() && Long.parseLong(m.group(1)) == value ? null
        : a.toString();
  }

  /** The sink file becomes byte-identical to the source; a sink longer than it fails at once. */
  private void awaitSinkEqualsSource(Path source, Path sink) throws Exception {
    byte[] expected = Files.readAllBytes(source);
    await("the sink file to equal the source (" + expected.length + " bytes)", COPY_MAX, () -> {
      byte[] got = Files.exists(sink) ? Files.readAllBytes(sink) : new byte[0];
      if (Arrays.equals(got, expected)) {
        return null;
      }
      List<String> want = new String(expected, StandardCharsets.UTF_8).lines().toList();
      List<String> have = new String(got, StandardCharsets.UTF_8).lines().toList();
      int same = 0;
      while (same < Math.min(want.size(), have.size()) && want.get(same).equals(have.get(same))) {
        same++;
      }
      String where = "sink has " + have.size() + " of " + want.size() + " lines, the first "
          + same + " equal" + (same < have.size() ? "; sink line " + (same + 1) + " is "
          + json(have.get(same)) + ", expected " + (same < want.size() ? json(want.get(same))
          : "none") : "");
      if (same < have.size()) {
        fail("the sink file diverged from the source (duplicated or corrupted lines): " + where
            + "\n" + worker.logTail());
      }
      return where;
    });
  }

  /** Polls on the current worker: see {@link ChildJvm#await}. */
  private void await(String what, Duration max, ChildJvm.Unmet unmet) throws Exception {
    worker.await(what, max, unmet);
  }

  private enum Alphabet {
    ASCII("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?-_'\"{}[]\\/\t"),
    /** Two- to four-byte UTF-8, right-to-left text and a character outside the BMP (😀). */
    UNICODE("aé ßüñ日本語 Ελληνικά עברית ✓€\u00a0😀");

    private final int[] codePoints;

    Alphabet(String chars) {
      codePoints = chars.codePoints().toArray();
    }
  }

  /** {@code count} numbered lines from {@code first}, each ending in '\n', never empty. */
  private static String lines(Random random, int first, int count, Alphabet alphabet) {
    StringBuilder out = new StringBuilder();
    for (int i = first; i < first + count; i++) {
      out.append("line ").append(i).append(' ');
      int length = random.nextInt(120);
      for (int c = 0; c < length; c++) {
        out.appendCodePoint(alphabet.codePoints[random.nextInt(alphabet.codePoints.length)]);
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
