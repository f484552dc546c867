package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log directory whose disk fills up goes offline: its partitions answer KAFKA_STORAGE_ERROR,
 * the node and its other directory keep serving, and what was acknowledged stays readable.
 * The full disk is a 2 MiB tmpfs (needs root, as on CI; skipped where mount is refused).
 */
class FullDiskIT {
  private Path mountPoint;

  @AfterEach
  void unmount() throws Exception {
    if (mountPoint != null) {
      new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullLogDirGoesOfflineAndTheOtherKeepsServing(@TempDir Path dir) throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
        small.toString()).redirectErrorStream(true).start();
    assumeTrue(mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "mounting a tmpfs needs root");
    mountPoint = small;
    Path big = Files.createDirectories(dir.resolve("big"));
    try (TestNode node = TestNode.start(dir.resolve("meta"), Map.of(
        "log.dirs", big + "," + small, "log.index.size.max.bytes", "4096",
        "log.segment.bytes", String.valueOf(512 * 1024)))) {
      try (Admin admin = Admin.create(node.clientProps())) {
        admin.createTopics(List.of(new NewTopic("fill", 2, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      }
      int smallPartition = Files.exists(small.resolve("fill-0")) ? 0 : 1;
      int bigPartition = 1 - smallPartition;
      assertThat(small.resolve("fill-" + smallPartition)).exists();
      byte[] value = new byte[64 * 1024];
      Throwable failure = null;
      try (KafkaProducer<byte[], byte[]> p = Clients.bytesProducer(node,
          Clients.props("delivery.timeout.ms", "10000", "request.timeout.ms", "5000",
              "retries", "0", "enable.idempotence", "false", "acks", "1"))) {
        for (int i = 0; i < 200 && failure == null; i++) {
          try {
            p.send(new ProducerRecord<>("fill", smallPartition, null, value)).get(30, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            failure = e.getCause();
          }
        }
        assertThat(failure).as("the 2 MiB disk fills up").isInstanceOf(KafkaStorageException.class);
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          acked.add(p.send(new ProducerRecord<>("fill", bigPartition, null, value))
              .get(30, TimeUnit.SECONDS).offset());
        }
        assertThat(acked).hasSize(20);
      }
      try (var consumer = Clients.bytesConsumer(node)) {
        var tp = new org.apache.kafka.common.TopicPartition("fill", bigPartition);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        assertThat(Clients.pollUntil(consumer, all -> all.size() >= 20, Duration.ofSeconds(30)))
            .hasSize(20);
      }
    }
  }
}
