package io.rill.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MirrorMaker 2 (Kafka 4.1's dedicated driver, {@code org.apache.kafka.connect.mirror.MirrorMaker})
 * replicating between two Rill nodes, {@code east} → {@code west}:
 *
 * <ol>
 *   <li>a keyed topic with headers and chosen timestamps arrives on west as {@code east.<topic>}
 *       with its partition count and its topic config (MM2's config sync), every record with the
 *       same key, value, headers, timestamp and offset, in order;
 *   <li>the internal topics MM2 creates (its herder's Connect config/offset/status topics, the
 *       checkpoints, heartbeats and offset-syncs topics) are compacted on the node that holds
 *       them;
 *   <li>a consumer group's offsets committed on east are translated onto west (checkpoints and
 *       {@code sync.group.offsets.enabled}) and a consumer of that group on west resumes within
 *       MM2's offset-sync granularity of where it stopped on east;
 *   <li>MM2's topic ACL sync meets SECURITY_DISABLED on DescribeAcls (Rill has no authorizer, as
 *       a Kafka broker without one) and carries on.
 * </ol>
 *
 * <p>MM2 runs in a child JVM ({@link ChildJvm}: it needs kafka-clients 4.1); the brokers and this
 * test's clients (3.9) run here. Record contents are random from a printed seed ({@code
 * -Drill.seed=} replays one).
 */
class MirrorMakerIT {
  private static final String TOPIC = "orders";
  private static final String REMOTE_TOPIC = "east." + TOPIC;
  private static final int PARTITIONS = 3;
  /** Records before the group commits (its "half"), then as many after. */
  private static final int RECORDS_PER_PHASE = 1_500;
  private static final String GROUP = "order-audit";
  /**
   * MM2's {@code offset.lag.max}: its source task writes an offset sync whenever the remote
   * partition has moved this many records past the position the last sync translates to, and
   * the last record's sync at each task commit. This is the re-read bound asserted below.
   */
  private static final int OFFSET_LAG_MAX = 50;
  private static final int KEYS = 400;
  /** A topic config set on east that MM2's config sync must carry to west (3 days). */
  private static final String RETENTION_MS = "259200000";
  private static final List<String> HEADER_NAMES = List.of("trace-id", "source", "schema", "ü");
  /** MM2's start (a JVM, a Connect herder, its topics and group, three connectors). */
  private static final Duration MM2_START_MAX = Duration.ofSeconds(40);
  private static final Duration REPLICATION_MAX = Duration.ofSeconds(30);

  @TempDir static Path eastDir;
  @TempDir static Path westDir;
  private static TestNode east;
  private static TestNode west;
  private static Admin eastAdmin;
  private static Admin westAdmin;
  private static Path work;
  private ChildJvm mm2;

  @BeforeAll
  static void start() throws IOException {
    // MM2's herder asks for short sessions (see mm2Config); Rill's default minimum is larger.
    Map<String, String> overrides = Map.of("offsets.topic.num.partitions", "4",
        "group.min.session.timeout.ms", "1000");
    east = TestNode.start(eastDir, overrides);
    west = TestNode.start(westDir, overrides);
    eastAdmin = Admin.create(east.clientProps());
    westAdmin = Admin.create(west.clientProps());
    // MM2's log and properties stay under target/ for a look after a failure.
    work = ChildJvm.freshWorkDir("mirror-maker-it");
  }

  @AfterEach
  void stopMirrorMaker() throws InterruptedException {
    if (mm2 != null) {
      mm2.close();
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {eastAdmin, westAdmin, east, west}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + c, e);
        }
      }
    }
  }

  /** A record as compared across clusters: bytes in Base64 ("null" for none). */
  record Rec(long offset, String key, String value, List<String> headers, long timestampMs) {
    static Rec of(ConsumerRecord<byte[], byte[]> r) {
      assertThat(r.timestampType()).as("timestamp type of %s-%d@%d", r.topic(), r.partition(),
          r.offset()).isEqualTo(TimestampType.CREATE_TIME);
      return new Rec(r.offset(), b64(r.key()), b64(r.value()), headerList(r.headers()),
          r.timestamp());
    }
  }

  @Test
  void mirrorsATopicItsGroupOffsetsAndToleratesNoAuthorizer() throws Exception {
    long seed = Long.getLong("rill.seed", System.nanoTime());
    System.out.println("MirrorMakerIT seed " + seed + " (-Drill.seed=" + seed + " replays it)");
    Random random = new Random(seed);
    eastAdmin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
        .configs(Map.of("retention.ms", RETENTION_MS)))).all().get(30, TimeUnit.SECONDS);
    Map<Integer, List<Rec>> sent = new HashMap<>();
    produce(random, RECORDS_PER_PHASE, sent);
    Map<Integer, Long> committedEast = consumeAllAndCommit();

    mm2 = ChildJvm.start(ChildJvm.connectLib(), work, "mm2",
        "org.apache.kafka.connect.mirror.MirrorMaker",
        List.of(writeMm2Properties().toString(), "--clusters", "west"));
    mm2.await(REMOTE_TOPIC + " on west with " + PARTITIONS + " partitions", MM2_START_MAX, () -> {
      Map<String, TopicDescription> d = westAdmin.describeTopics(List.of(REMOTE_TOPIC))
          .allTopicNames().get(10, TimeUnit.SECONDS);
      int count = d.get(REMOTE_TOPIC).partitions().size();
      return count == PARTITIONS ? null : count + " partitions";
    });
    awaitWestEnds(ends(sent));

    // 3. The group stopped at the end of what MM2 has replicated so far. The checkpoint task
    // translates its offset to the latest offset sync at or below it, plus one; the source task
    // writes a sync at least every OFFSET_LAG_MAX records and one for the last record at each
    // commit, so the translation comes within OFFSET_LAG_MAX of the exact offset and must never
    // pass it (that would skip records). MM2 only moves a synced group offset forward.
    Map<Integer, Long> translated = new HashMap<>();
    mm2.await("group " + GROUP + "'s offsets on west within " + OFFSET_LAG_MAX + " of "
        + committedEast, REPLICATION_MAX, () -> {
          Map<TopicPartition, OffsetAndMetadata> offsets = westAdmin
              .listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
          for (int p = 0; p < PARTITIONS; p++) {
            OffsetAndMetadata o = offsets.get(new TopicPartition(REMOTE_TOPIC, p));
            if (o == null || o.offset() < committedEast.get(p) - OFFSET_LAG_MAX) {
              return "west has " + offsets;
            }
            assertThat(o.offset()).as("translated offset of partition %d (east committed %d)",
                p, committedEast.get(p)).isLessThanOrEqualTo(committedEast.get(p));
            translated.put(p, o.offset());
          }
          return null;
        });
    System.out.println("group " + GROUP + ": committed on east " + committedEast
        + ", translated on west " + translated);

    // The other half goes through a running MM2.
    produce(random, RECORDS_PER_PHASE, sent);
    awaitWestEnds(ends(sent));

    // 1. Every record, in order, with its key, value, headers, timestamp; a fresh remote topic
    // written by one task with no transaction markers also keeps the offsets.
    Map<Integer, List<Rec>> mirrored = readAll(west, REMOTE_TOPIC, ends(sent));
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(mirrored.get(p)).as("records of %s-%d on west", REMOTE_TOPIC, p)
          .containsExactlyElementsOf(sent.get(p));
    }

    // MM2's topic config sync (DescribeConfigs on east, whose config sources decide between SET
    // and DELETE; IncrementalAlterConfigs on west) carried the topic's retention over.
    var retention = westAdmin.describeConfigs(List.of(new ConfigResource(
        ConfigResource.Type.TOPIC, REMOTE_TOPIC))).all().get(30, TimeUnit.SECONDS).values()
        .iterator().next().get("retention.ms");
    System.out.println("west " + REMOTE_TOPIC + ": " + retention);
    assertThat(retention.value()).as("%s's retention.ms on west", REMOTE_TOPIC)
        .isEqualTo(RETENTION_MS);

    // 2. Compacted internal topics, on the node where MM2 creates each.
    assertCompacted(westAdmin, "west", List.of("mm2-configs.east.internal",
        "mm2-offsets.east.internal", "mm2-status.east.internal", "east.checkpoints.internal",
        "heartbeats"));
    assertCompacted(eastAdmin, "east", List.of("mm2-offset-syncs.west.internal"));
    // And MM2 writes to them: heartbeats every second, checkpoints for the group, offset syncs.
    assertThat(endOffsets(westAdmin, "heartbeats", 1).get(0)).as("heartbeats on west")
        .isPositive();
    assertThat(endOffsets(westAdmin, "east.checkpoints.internal", 1).get(0))
        .as("checkpoints on west").isPositive();
    assertThat(endOffsets(eastAdmin, "mm2-offset-syncs.west.internal", 1).get(0))
        .as("offset syncs on east").isPositive();

    // 3, continued: a consumer of the group on west resumes where MM2 put it.
    resumeOnWest(committedEast, sent);

    // 4. The ACL sync met SECURITY_DISABLED: MM2 says so once and goes on.
    mm2.await("MM2's note that the source cluster has no ACL authorizer", REPLICATION_MAX,
        () -> mm2.logContains("No ACL authorizer is configured on the source Kafka cluster")
            ? null : "no such line yet");
    mm2.logLines("ACL").forEach(l -> System.out.println("MM2 on ACLs: " + l));
    // Not WARN: MM2 4.1 logs "Could not alter configuration of topic" after every config sync,
    // successful ones included (its callback warns whenever the error is not an
    // UnsupportedVersionException, null too: KAFKA-20017, fixed after 4.1).
    List<String> errors = mm2.logLines(" ERROR ");
    errors.forEach(l -> System.out.println("MM2 error: " + l));
    assertThat(errors).as("MM2's ERROR lines\n%s", mm2.logTail()).isEmpty();
    assertThat(mm2.alive()).as("MM2 alive").isTrue();
  }

  /**
   * {@code count} keyed records over the partitions (the default partitioner hashes the keys):
   * random values (some null), 0 to 3 headers (some with null values, names repeat) and
   * timestamps within the last hour out of order. Adds each to {@code sent} at its offset.
   */
  private static void produce(Random random, int count, Map<Integer, List<Rec>> sent)
      throws Exception {
    Properties props = east.clientProps();
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("linger.ms", "5");
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] key = ("key-" + random.nextInt(KEYS)).getBytes(StandardCharsets.UTF_8);
        byte[] value = random.nextInt(20) == 0 ? null : bytes(random, random.nextInt(300));
        List<Header> headers = new ArrayList<>();
        for (int h = random.nextInt(4); h > 0; h--) {
          headers.add(new RecordHeader(HEADER_NAMES.get(random.nextInt(HEADER_NAMES.size())),
              random.nextInt(8) == 0 ? null : bytes(random, random.nextInt(40))));
        }
        long timestampMs = now - random.nextInt(3_600_000);
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(TOPIC, null, timestampMs, key, value, headers);
        records.add(record);
        acks.add(producer.send(record));
      }
      for (int i = 0; i < count; i++) {
        RecordMetadata m = acks.get(i).get(30, TimeUnit.SECONDS);
        ProducerRecord<byte[], byte[]> r = records.get(i);
        sent.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(new Rec(m.offset(),
            b64(r.key()), b64(r.value()), headerList(r.headers()), r.timestamp()));
      }
    }
    for (List<Rec> list : sent.values()) {
      list.sort((a, b) -> Long.compare(a.offset(), b.offset()));
    }
    System.out.println("produced " + count + " records to east, partition ends now "
        + ends(sent));
  }

  /** The group reads the topic on east to its end and commits there: each partition's end. */
  private static Map<Integer, Long> consumeAllAndCommit() throws Exception {
    Map<Integer, Long> ends = endOffsets(eastAdmin, TOPIC);
    Properties props = east.clientProps();
    props.put("group.id", GROUP);
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Map<Integer, Long> next = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + REPLICATION_MAX.toNanos();
      while (!next.equals(ends)) {
        assertThat(System.nanoTime()).as("group %s reading east to %s; at %s", GROUP, ends, next)
            .isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          next.put(r.partition(), r.offset() + 1);
        }
      }
      consumer.commitSync(next.entrySet().stream().collect(Collectors.toMap(
          e -> new TopicPartition(TOPIC, e.getKey()), e -> new OffsetAndMetadata(e.getValue()))));
    }
    System.out.println("group " + GROUP + " committed " + next + " on east");
    return next;
  }

  private static Path writeMm2Properties() throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("clusters", "east, west");
    c.put("east.bootstrap.servers", east.bootstrap());
    c.put("west.bootstrap.servers", west.bootstrap());
    c.put("east->west.enabled", "true");
    c.put("west->east.enabled", "false");
    c.put("east->west.topics", TOPIC);
    c.put("east->west.groups", GROUP);
    // One node per cluster: MM2's replication factors (2 for remote topics, 3 for the rest)
    // cannot be placed.
    for (String k : List.of("replication.factor", "checkpoints.topic.replication.factor",
        "heartbeats.topic.replication.factor", "offset-syncs.topic.replication.factor",
        "config.storage.replication.factor", "offset.storage.replication.factor",
        "status.storage.replication.factor")) {
      c.put(k, "1");
    }
    c.put("tasks.max", "1");
    c.put("offset.lag.max", Integer.toString(OFFSET_LAG_MAX));
    c.put("sync.group.offsets.enabled", "true");
    c.put("sync.group.offsets.interval.seconds", "1");
    c.put("emit.checkpoints.interval.seconds", "1");
    c.put("emit.heartbeats.interval.seconds", "1");
    c.put("refresh.topics.interval.seconds", "2");
    c.put("refresh.groups.interval.seconds", "2");
    // The herder's worker settings come from the target cluster's prefix (MirrorMakerConfig):
    // commit (and so promote the last record's offset sync) often; short group sessions.
    c.put("west.offset.flush.interval.ms", "500");
    c.put("west.session.timeout.ms", "4000");
    c.put("west.heartbeat.interval.ms", "1000");
    c.put("west.scheduled.rebalance.max.delay.ms", "0");
    Path props = work.resolve("mm2.properties");
    Files.write(props, c.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
        .toList(), StandardCharsets.UTF_8);
    return props.toAbsolutePath();
  }

  private void awaitWestEnds(Map<Integer, Long> want) throws Exception {
    mm2.await(REMOTE_TOPIC + "'s ends on west to reach " + want, REPLICATION_MAX, () -> {
      Map<Integer, Long> ends = endOffsets(westAdmin, REMOTE_TOPIC);
      return ends.equals(want) ? null : "ends " + ends;
    });
  }

  /** A consumer of GROUP on west starts at MM2's translated offsets and reads to the end. */
  private void resumeOnWest(Map<Integer, Long> committedEast, Map<Integer, List<Rec>> sent)
      throws Exception {
    Map<Integer, Long> ends = ends(sent);
    Properties props = west.clientProps();
    props.put("group.id", GROUP);
    props.put("enable.auto.commit", "false");
    // No reset: a missing translated offset must fail, not silently start somewhere.
    props.put("auto.offset.reset", "none");
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Map<Integer, List<Rec>> read = new HashMap<>();
    Map<Integer, Long> next = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(REMOTE_TOPIC));
      mm2.await("group " + GROUP + " on west to read to " + ends, REPLICATION_MAX, () -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Rec.of(r));
          next.put(r.partition(), r.offset() + 1);
        }
        return next.equals(ends) ? null : "at " + next;
      });
    }
    long reread = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      long first = read.get(p).get(0).offset();
      long stopped = committedEast.get(p);
      assertThat(first).as("partition %d: first offset read on west; the group stopped at %d"
          + " on east, offset syncs are at most %d apart", p, stopped, OFFSET_LAG_MAX)
          .isBetween(stopped - OFFSET_LAG_MAX, stopped);
      List<Rec> expected = sent.get(p).subList((int) first, sent.get(p).size());
      assertThat(read.get(p)).as("records group %s read on west from %s-%d", GROUP, REMOTE_TOPIC,
          p).containsExactlyElementsOf(expected);
      reread += stopped - first;
    }
    System.out.println("group " + GROUP + " resumed on west re-reading " + reread
        + " records in all (bound " + OFFSET_LAG_MAX + " per partition)");
  }

  private static void assertCompacted(Admin admin, String cluster, List<String> topics)
      throws Exception {
    Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
        .all().get(30, TimeUnit.SECONDS);
    for (String topic : topics) {
      var policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
          .get("cleanup.policy");
      System.out.println(cluster + " " + topic + ": " + policy);
      assertThat(policy).as("%s's cleanup.policy on %s", topic, cluster).isNotNull();
      assertThat(policy.value()).as("%s's cleanup.policy on %s", topic, cluster)
          .isEqualTo("compact");
    }
  }

  /** Reads partitions 0..n of {@code topic} from the beginning up to {@code ends}, no group. */
  private Map<Integer, List<Rec>> readAll(TestNode node, String topic, Map<Integer, Long> ends)
      throws Exception {
    Properties props = node.clientProps();
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Map<Integer, List<Rec>> read = new HashMap<>();
    Map<Integer, Long> next = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = ends.keySet().stream()
          .map(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      mm2.await("reading " + topic + " to " + ends, REPLICATION_MAX, () -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Rec.of(r));
          next.put(r.partition(), r.offset() + 1);
        }
        return next.equals(ends) ? null : "at " + next;
      });
    }
    return read;
  }

  private static Map<Integer, Long> ends(Map<Integer, List<Rec>> sent) {
    Map<Integer, Long> ends = new HashMap<>();
    sent.forEach((p, list) -> ends.put(p, list.get(list.size() - 1).offset() + 1));
    return ends;
  }

  private static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
    return endOffsets(admin, topic, PARTITIONS);
  }

  private static Map<Integer, Long> endOffsets(Admin admin, String topic, int partitions)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new HashMap<>();
    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
    return ends;
  }

  private static byte[] bytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private static String b64(byte[] b) {
    return b == null ? "null" : Base64.getEncoder().encodeToString(b);
  }

  private static List<String> headerList(Iterable<Header> headers) {
    List<String> out = new ArrayList<>();
    for (Header h : headers) {
      out.add(h.key() + "=" + b64(h.value()));
    }
    return out;
  }
}
