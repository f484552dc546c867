package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ProcessCluster} fixture on the one shape Rill runs today, a single combined node:
 * the official clients produce and consume through {@code bootstrap()}; SIGSTOP freezes the
 * node (it answers nothing) until SIGCONT; after SIGKILL it starts again on the same data with
 * the record still there; SIGTERM stops it cleanly.
 */
class ProcessClusterIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final String TOPIC = "fixture";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  @Test
  void oneNodeServesClientsThroughPauseKillAndRestart(@TempDir Path dir) throws Exception {
    try (ProcessCluster cluster = ProcessCluster.builder(dir).nodes(1).build()) {
      cluster.start().awaitStarted(START_TIMEOUT);
      NodeProcess node = cluster.node(1);
      assertThat(cluster.bootstrap()).isEqualTo("127.0.0.1:" + node.clientPort());
      produce(cluster, "before-kill");
      assertThat(readAll(cluster, 1)).containsExactly("before-kill");

      try (Admin admin = admin(cluster)) {
        node.pause();
        assertThat(node.isPaused()).isTrue();
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(3, TimeUnit.SECONDS))
            .as("a frozen node answers nothing");
        node.resume();
        cluster.await("node 1 to answer describeCluster after SIGCONT", CLIENT_TIMEOUT,
            () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
      }

      node.kill();
      assertThat(node.isAlive()).isFalse();
      assertThat(node.exitCode()).as("killed by signal 9").contains(128 + 9);
      node.start();
      cluster.awaitStarted(START_TIMEOUT);
      produce(cluster, "after-restart");
      assertThat(readAll(cluster, 2)).as("the record written before SIGKILL is still there")
          .containsExactly("before-kill", "after-restart");

      Duration stop = node.terminate();
      assertThat(stop).isLessThan(Duration.ofSeconds(10));
      // The exit code is the JVM's for SIGTERM (143): Main's "0 after a clean shutdown" is
      // never reached from a signal, so the clean stop is judged by the node's own lines.
      assertThat(node.runOutput()).contains("Shutdown requested").contains("stopped in");
      assertThat(node.output()).as("both runs in one file").contains("=== run 1 of node 1")
          .contains("=== run 2 of node 1");
    }
  }

  /** A node that exits (here: a config it refuses) fails a wait at once, showing why. */
  @Test
  void aWaitOnANodeThatExitedFailsAtOnceWithItsOutput(@TempDir Path dir) {
    try (ProcessCluster cluster = ProcessCluster.builder(dir).nodes(1)
        .override("num.partitions", "0").build()) {
      cluster.start();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> cluster.awaitStarted(START_TIMEOUT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("waiting for node 1 to log")
          .hasMessageContaining("it is not running")
          .hasMessageContaining("exited with 1")
          .hasMessageContaining("num.partitions");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(START_TIMEOUT);
    }
  }

  private static void produce(ProcessCluster cluster, String value) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", cluster.bootstrap(),
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName(),
        "delivery.timeout.ms", (int) CLIENT_TIMEOUT.toMillis(),
        "request.timeout.ms", 5_000))) {
      producer.send(new ProducerRecord<>(TOPIC, 0, "k", value))
          .get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static List<String> readAll(ProcessCluster cluster, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", cluster.bootstrap(),
        "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName(),
        "enable.auto.commit", false))) {
      consumer.assign(List.of(PARTITION));
      consumer.seekToBeginning(List.of(PARTITION));
      cluster.await(expected + " records in " + PARTITION, CLIENT_TIMEOUT, () -> {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
        return values.size() >= expected;
      });
    }
    return values;
  }

  private static Admin admin(ProcessCluster cluster) {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000));
  }
}
