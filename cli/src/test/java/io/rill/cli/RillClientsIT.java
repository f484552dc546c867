package io.rill.cli;


import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code rill produce / consume / groups / perf} cross-checked with the official Java client:
 * what one writes the other reads, and offsets reset by rill are where the official consumer
 * starts.
 */
class RillClientsIT extends CliNodeFixture {
  static String lines(int n, String fmt) {
    return IntStream.range(0, n).mapToObj(i -> String.format(fmt, i, i))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  KafkaConsumer<String, String> officialConsumer(String group) {
    Properties p = node.clientProps();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Polls with a deadline until {@code n} records arrived. */
  static List<ConsumerRecord<String, String>> pollN(KafkaConsumer<String, String> c, int n) {
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 30_000;
    while (got.size() < n && System.currentTimeMillis() < deadline) {
      c.poll(Duration.ofMillis(200)).forEach(got::add);
    }
    return got;
  }

  @Test
  void whatRillProducesTheOfficialConsumerReads() {
    ok(cli.run("topics", "create", "rp", "--partitions", "3"));
    for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
      Cli.Result r = ok(cli.runWithInput(lines(200, "k%d:" + codec + "-%d"), "produce", "rp",
          "--key-separator", ":", "--compression", codec, "--acks", "all", "--output", "json"));
      // Batching: far fewer batches than records (3 partitions, keyed).
      assertThat(r.out()).contains("\"records\":200");
      int batches = Integer.parseInt(r.out().replaceAll("(?s).*\"batches\":(\\d+).*", "$1").trim());
      assertThat(batches).isLessThan(50);
    }
    try (KafkaConsumer<String, String> c = officialConsumer("x-rp")) {
      c.subscribe(List.of("rp"));
      List<ConsumerRecord<String, String>> got = pollN(c, 1000);
      assertThat(got).hasSize(1000);
      assertThat(got).anySatisfy(r -> {
        assertThat(r.key()).isEqualTo("k7");
        assertThat(r.value()).isEqualTo("zstd-7");
      });
      // Keys are partitioned as the official producer would: murmur2.
      for (ConsumerRecord<String, String> r : got) {
        int expected = org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(r.key().getBytes(StandardCharsets.UTF_8))) % 3;
        assertThat(r.partition()).isEqualTo(expected);
      }
    }
    ok(cli.runWithInput("a\nb\n", "produce", "rp", "--acks", "0", "--partition", "2"));
    ok(cli.runWithInput("c\n", "produce", "rp", "--acks", "1", "--partition", "2"));
    Cli.Result tail = ok(cli.run("consume", "rp", "--partition", "2", "--offset", "-2",
        "--timeout-ms", "1500", "--format", "%p:%o:%v"));
    lastLines(tail.out(), "a", "b", "c");
  }

  private static String[] lastLines(String out, String... values) {
    List<String> all = out.lines().toList();
    List<String> last = all.subList(all.size() - values.length, all.size());
    for (int i = 0; i < values.length; i++) {
      assertThat(last.get(i)).endsWith(":" + values[i]);
    }
    return last.toArray(String[]::new);
  }

  @Test
  void whatTheOfficialProducerWritesRillConsumes() throws Exception {
    ok(cli.run("topics", "create", "op", "--partitions", "2"));
    Properties p = node.clientProps();
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 50; i++) {
        producer.send(new ProducerRecord<>("op", i % 2, "key" + i, "value" + i)).get();
      }
    }
    Cli.Result r = ok(cli.run("consume", "op", "--from-beginning", "--max-messages", "50",
        "--format", "%k\\t%v"));
    assertThat(r.out().lines().toList()).hasSize(50).contains("key0\tvalue0", "key49\tvalue49");
    assertThat(r.err()).contains("Processed a total of 50 messages");
    Cli.Result j = ok(cli.run("consume", "op", "--from-beginning", "--max-messages", "1",
        "--partition", "1", "--output", "json"));
    assertThat(j.out()).startsWith("{\"topic\":\"op\",\"partition\":1,\"offset\":0,")
        .contains("\"key\":\"key1\",\"value\":\"value1\"");
  }

  @Test
  void consumeWithGroupCommitsWhatItPrinted() {
    ok(cli.run("topics", "create", "gc", "--partitions", "3"));
    ok(cli.runWithInput(lines(30, "k%d:v%d"), "produce", "gc", "--key-separator", ":"));
    Cli.Result first = ok(cli.run("consume", "gc", "--group", "g1", "--from-beginning",
        "--max-messages", "10"));
    assertThat(first.out().lines()).hasSize(10);
    Cli.Result rest = ok(cli.run("consume", "gc", "--group", "g1", "--from-beginning", "--timeout-ms", "2000"));
    assertThat(rest.out().lines()).hasSize(20);
    List<String> all = new ArrayList<>(first.out().lines().toList());
    all.addAll(rest.out().lines().toList());
    assertThat(all).doesNotHaveDuplicates().hasSize(30);

    Cli.Result d = ok(cli.run("groups", "describe", "g1"));
    assertThat(d.out()).contains("Group: g1  State: Empty").contains("COMMITTED_OFFSET")
        .containsPattern("gc +0 +\\d+ +\\d+ +0");
    Cli.Result dj = ok(cli.run("--output", "json", "groups", "describe", "g1"));
    assertThat(dj.out()).contains("\"group\":\"g1\",\"state\":\"Empty\"").contains("\"lag\":0");
    assertThat(ok(cli.run("groups", "list")).out()).containsPattern("g1 +Empty +consumer");
    assertThat(ok(cli.run("--output", "json", "groups", "list", "--state", "Empty")).out())
        .contains("{\"group\":\"g1\",\"state\":\"Empty\",\"protocolType\":\"consumer\"}");

    // The official consumer in the same group starts where rill committed: nothing left.
    try (KafkaConsumer<String, String> c = officialConsumer("g1")) {
      c.subscribe(List.of("gc"));
      c.poll(Duration.ofMillis(2000));
      long total = 0;
      for (int part = 0; part < 3; part++) {
        var tp = new org.apache.kafka.common.TopicPartition("gc", part);
        total += c.position(tp) - c.beginningOffsets(List.of(tp)).get(tp);
      }
      assertThat(total).isEqualTo(30);
    }

    ok(cli.run("groups", "delete", "g1"));
    assertThat(cli.run("groups", "describe", "g1").exit()).isEqualTo(1);
  }

  @Test
  void resetOffsetsPlansThenExecutesAndTheOfficialConsumerStartsThere() {
    ok(cli.run("topics", "create", "ro", "--partitions", "2"));
    ok(cli.runWithInput(lines(40, "k%d:v%d"), "produce", "ro", "--key-separator", ":"));
    ok(cli.run("consume", "ro", "--group", "g2", "--from-beginning", "--timeout-ms", "1500"));

    Cli.Result plan = ok(cli.run("groups", "reset-offsets", "g2", "--topic", "ro",
        "--to-offset", "5"));
    assertThat(plan.out()).contains("CURRENT_OFFSET  NEW_OFFSET").contains("Dry run");
    assertThat(ok(cli.run("--output", "json", "groups", "describe", "g2")).out())
        .contains("\"lag\":0").doesNotContain("\"committedOffset\":5");

    Cli.Result exec = ok(cli.run("--output", "json", "groups", "reset-offsets", "g2", "--topic",
        "ro", "--to-offset", "5", "--execute"));
    assertThat(exec.out()).contains("\"executed\":true").contains("\"newOffset\":5");

    try (KafkaConsumer<String, String> c = officialConsumer("g2")) {
      c.subscribe(List.of("ro"));
      List<ConsumerRecord<String, String>> got = pollN(c, 1);
      assertThat(got).isNotEmpty().allSatisfy(r -> assertThat(r.offset()).isGreaterThanOrEqualTo(5));
      for (int part = 0; part < 2; part++) {
        var tp = new org.apache.kafka.common.TopicPartition("ro", part);
        final int pp = part;
        got.stream().filter(r -> r.partition() == pp).findFirst()
            .ifPresent(r -> assertThat(r.offset()).isEqualTo(5));
      }
    }
    ok(cli.run("groups", "reset-offsets", "g2", "--topic", "ro", "--to-earliest", "--execute"));
    try (KafkaConsumer<String, String> c = officialConsumer("g2")) {
      c.subscribe(List.of("ro"));
      assertThat(pollN(c, 40)).hasSize(40);
    }
    ok(cli.run("groups", "reset-offsets", "g2", "--topic", "ro:0", "--to-datetime",
        "2000-01-01T00:00:00Z"));
    assertThat(cli.run("groups", "reset-offsets", "g2", "--topic", "ro").exit()).isEqualTo(2);
  }

  @Test
  void produceToAMissingTopicCreatesItWhenTheBrokerAutoCreates() {
    ok(cli.runWithInput("one\ntwo\n", "produce", "auto-created"));
    Cli.Result read = ok(cli.run("consume", "auto-created", "--from-beginning",
        "--max-messages", "2"));
    assertThat(read.out()).isEqualTo("one\ntwo\n");
  }

  @Test
  void perfPrintsAProgressLinePerReportingInterval() {
    ok(cli.run("topics", "create", "perf-progress"));
    // 2000 records at 4000/s: half a second, reported every 100 ms.
    Cli.Result p = ok(cli.run("perf", "produce", "--topic", "perf-progress", "--records", "2000",
        "--record-size", "10", "--throughput", "4000", "--reporting-interval-ms", "100"));
    assertThat(p.out().lines().filter(l -> l.matches("\\d+ records sent, [\\d.]+ records/sec "
        + "\\([\\d.]+ MiB/sec\\), [\\d.]+ ms avg latency, [\\d.]+ ms max latency\\.")))
        .as(p.out()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(p.out()).contains("METRIC");
    Cli.Result j = ok(cli.run("--output", "json", "perf", "produce", "--topic", "perf-progress",
        "--records", "1000", "--record-size", "10", "--throughput", "4000",
        "--reporting-interval-ms", "100"));
    assertThat(j.err()).contains("records sent");
    assertThat(j.out().trim()).startsWith("{").doesNotContain("records sent");
  }

  @Test
  void perfProduceAndConsume() {
    ok(cli.run("topics", "create", "perf", "--partitions", "2"));
    Cli.Result p = ok(cli.run("--output", "json", "perf", "produce", "--topic", "perf",
        "--records", "5000", "--record-size", "100", "--acks", "1"));
    assertThat(p.out()).contains("\"records\":5000").contains("\"recordsPerSec\":")
        .contains("\"latencyP99Ms\":");
    Cli.Result t = ok(cli.run("perf", "produce", "--topic", "perf", "--records", "1000",
        "--record-size", "10", "--throughput", "100000"));
    assertThat(t.out()).startsWith("METRIC").contains("mibPerSec");
    Cli.Result c = ok(cli.run("--output", "json", "perf", "consume", "--topic", "perf",
        "--records", "6000"));
    assertThat(c.out()).contains("\"records\":6000").contains("\"bytes\":510000");
  }

  @Test
  void twoRillConsumersShareAGroupByRangeAssignment() throws Exception {
    ok(cli.run("topics", "create", "mg", "--partitions", "2"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      String[] args = {"consume", "mg", "--group", "g3", "--from-beginning", "--timeout-ms", "12000",
          "--format", "%p %v"};
      // The idle timeout outlasts the rebalance (a heartbeat interval plus a rejoin).
      var a = pool.submit(() -> cli.run(args));
      try {
        awaitMembers("g3", 1);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nconsumer: " + a.get(), e);
      }
      var b = pool.submit(() -> cli.run(args));
      awaitMembers("g3", 2);
      Cli.Result d = ok(cli.run("--output", "json", "groups", "describe", "g3"));
      assertThat(d.out()).contains("\"state\":\"Stable\"").contains("\"protocol\":\"range\"")
          .contains("\"assignment\":{\"mg\":[0]}").contains("\"assignment\":{\"mg\":[1]}");
      ok(cli.runWithInput(lines(40, "k%d:v%d"), "produce", "mg", "--key-separator", ":"));
      List<String> outA = ok(a.get()).out().lines().toList();
      List<String> outB = ok(b.get()).out().lines().toList();
      assertThat(outA).isNotEmpty();
      assertThat(outB).isNotEmpty();
      // Each member printed only its own partition, and together every record once.
      assertThat(outA.stream().map(l -> l.split(" ")[0]).distinct()).hasSize(1);
      assertThat(outB.stream().map(l -> l.split(" ")[0]).distinct()).hasSize(1);
      List<String> all = new ArrayList<>(outA);
      all.addAll(outB);
      assertThat(all).hasSize(40).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Polls {@code groups describe} (with a deadline) until the group is Stable with n members. */
  static void awaitMembers(String group, int n) {
    long deadline = System.currentTimeMillis() + 30_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      Cli.Result r = cli.run("--output", "json", "groups", "describe", group);
      last = r.toString();
      if (r.exit() == 0 && r.out().contains("\"state\":\"Stable\"")
          && r.out().split("\"memberId\":\"", -1).length - 1 >= n * 2) {
        return;
      }
    }
    throw new AssertionError("group " + group + " never had " + n + " stable members: " + last);
  }
}
