package io.rill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code rill topics describe} on a compacted topic: each partition's cleanable ratio and last
 * cleaning as its leader reports them, and the cleaner's backoff changed at run time with {@code
 * rill configs alter --broker-defaults} (without it the test would wait out the 15 s default).
 */
class CompactedTopicsCliIT extends CliNodeFixture {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int KEYS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void describeShowsEachPartitionsCleanableRatioAndLastCleaning() throws Exception {
    ok(cli.run("configs", "alter", "--broker-defaults", "--set", "log.cleaner.backoff.ms=100"));
    assertThat(ok(cli.run("configs", "describe", "--broker", "1")).out())
        .containsPattern("log.cleaner.backoff.ms +100 +DYNAMIC_DEFAULT_BROKER_CONFIG");
    ok(cli.run("topics", "create", "table", "--partitions", "2", "--config",
        "cleanup.policy=compact", "--config", "segment.ms=500", "--config",
        "min.cleanable.dirty.ratio=0.01"));
    ok(cli.run("topics", "create", "events", "--partitions", "1"));
    long base = System.currentTimeMillis() - 60_000;
    produceRounds("table", base, 0, 3);

    JsonNode cleaned = awaitPartitions("everything below the active segments cleaned",
        p -> p.get("lastCleaning").isTextual() && p.get("cleanableRatio").asDouble() == 0);
    for (JsonNode p : cleaned) {
      assertThat(p.get("uncleanable").asBoolean()).isFalse();
    }
    // From now on a partition is cleaned only when nearly all of it is dirty: the dirty
    // segments to come stay beside the clean one, and their ratio shows.
    ok(cli.run("configs", "alter", "--topic", "table", "--set",
        "min.cleanable.dirty.ratio=0.99"));
    awaitConfig("min.cleanable.dirty.ratio +0.99 +DYNAMIC_TOPIC_CONFIG");

    // Two more rounds make dirty segments beside the clean one: dirty, not dirty enough.
    produceRounds("table", base, 3, 5);
    JsonNode dirty = awaitPartitions("a cleanable ratio between 0 and 0.99",
        p -> p.get("cleanableRatio").asDouble() > 0);
    for (JsonNode p : dirty) {
      assertThat(p.get("cleanableRatio").asDouble()).as(p.toString()).isLessThan(0.99);
      assertThat(p.get("lastCleaning").asText()).isEqualTo(lastCleaningOf(cleaned, p));
    }

    Cli.Result table = ok(cli.run("topics", "describe", "table", "events"));
    String[] topics = table.out().split("\n\n");
    assertThat(topics[0]).contains("CLEANABLE_RATIO").contains("LAST_CLEANING")
        .containsPattern("0\\.\\d\\d +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(topics[1]).startsWith("Topic: events").doesNotContain("CLEANABLE_RATIO");
  }

  private static String lastCleaningOf(JsonNode partitions, JsonNode p) {
    for (JsonNode q : partitions) {
      if (q.get("partition").equals(p.get("partition"))) {
        return q.get("lastCleaning").asText();
      }
    }
    throw new AssertionError("no partition " + p.get("partition") + " in " + partitions);
  }

  /** Rounds {@code from} until {@code to}, each a second after the last so each rolls. */
  private static void produceRounds(String topic, long base, int from, int to) throws Exception {
    Properties props = node.clientProps();
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int round = from; round < to; round++) {
        for (int partition = 0; partition < 2; partition++) {
          for (int k = 0; k < KEYS; k++) {
            producer.send(new ProducerRecord<>(topic, partition, base + round * 1_000L,
                "key-" + k, "round-" + round)).get();
          }
        }
      }
    }
  }

  /** Polls {@code rill configs describe --topic table} until its table matches. */
  private static void awaitConfig(String pattern) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = ok(cli.run("configs", "describe", "--topic", "table")).out();
      if (java.util.regex.Pattern.compile(pattern).matcher(out).find()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("waited " + WAIT + " for /" + pattern + "/ in:\n" + out);
  }

  /** Polls {@code rill topics describe table} until every partition matches. */
  private static JsonNode awaitPartitions(String what, Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode partitions = null;
    while (System.nanoTime() < deadline) {
      Cli.Result r = ok(cli.run("--output", "json", "topics", "describe", "table"));
      partitions = JSON.readTree(r.out()).get("topics").get(0).get("partitions");
      boolean all = partitions.size() == 2;
      for (JsonNode p : partitions) {
        all &= done.test(p);
      }
      if (all) {
        return partitions;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("waited " + WAIT + " for " + what + "; last described: "
        + partitions);
  }
}
