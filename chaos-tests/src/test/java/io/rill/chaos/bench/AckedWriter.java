package io.rill.chaos.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady idempotent acks=all producer (the Java client's defaults otherwise) writing unique
 * values to one topic on its own thread, remembering where each acknowledged value went and
 * when each acknowledgement came, so that a benchmark can ask for the longest stall in a window
 * and, at the end, check the topic holds every acknowledged value exactly once at its offset.
 *
 * <p>Threads: the writer thread sends; the producer's I/O thread records acknowledgements (into
 * concurrent structures); the benchmark thread reads them.
 */
final class AckedWriter implements AutoCloseable {
  /** Where an acknowledged value went. */
  record Acked(int partition, long offset) {}

  /** What reading the topic back found, against what was acknowledged. */
  record Check(int acknowledged, int missing, int duplicated, int misplaced) {
    @Override
    public String toString() {
      return String.format("read back: %d acknowledged, %d missing, %d duplicated, %d at another"
          + " offset", acknowledged, missing, duplicated, misplaced);
    }
  }

  private final String bootstrap;
  private final String topic;
  private final Map<String, Acked> acked = new ConcurrentHashMap<>();
  /** Acknowledgement times (nanoTime), in the order the I/O thread saw them. */
  private final List<Long> ackTimes = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  AckedWriter(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    thread = new Thread(this::write, "acked-writer-" + topic);
    thread.start();
  }

  private void write() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "1");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long i = 0;
      while (running.get()) {
        String value = topic + "-" + i++;
        producer.send(new ProducerRecord<>(topic, value, value), (md, e) -> {
          if (e != null) {
            failures.incrementAndGet();
            return;
          }
          ackTimes.add(System.nanoTime());
          acked.put(value, new Acked(md.partition(), md.offset()));
        });
        if (i % 50 == 0) {
          producer.flush(); // a steady rate, not an unbounded backlog
        }
      }
      producer.flush();
    }
  }

  int ackCount() {
    return acked.size();
  }

  long failures() {
    return failures.get();
  }

  /** Waits until {@code count} values are acknowledged. */
  void awaitAcks(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acked.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + acked.size() + " of " + count + " writes to " + topic
            + " acknowledged after " + timeout);
      }
      Thread.sleep(20);
    }
  }

  /** The longest time without an acknowledgement between {@code fromNs} and {@code toNs}. */
  long longestGapMs(long fromNs, long toNs) {
    long longest = 0;
    long previous = fromNs;
    synchronized (ackTimes) {
      for (long t : ackTimes) {
        if (t < fromNs) {
          continue;
        }
        if (t > toNs) {
          break;
        }
        longest = Math.max(longest, t - previous);
        previous = t;
      }
    }
    return Math.max(longest, toNs - previous) / 1_000_000;
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(120_000);
  }

  /** Reads every partition from the beginning and compares it with what was acknowledged. */
  Check readBackAndCheck() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.poll.records", "5000");
    Map<String, List<Acked>> found = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          found.computeIfAbsent(r.value(), v -> new ArrayList<>())
              .add(new Acked(r.partition(), r.offset()));
        }
      }
    }
    int missing = 0;
    int duplicated = 0;
    int misplaced = 0;
    for (Map.Entry<String, Acked> e : acked.entrySet()) {
      List<Acked> at = found.get(e.getKey());
      if (at == null) {
        missing++;
      } else if (at.size() > 1) {
        duplicated++;
      } else if (!at.get(0).equals(e.getValue())) {
        misplaced++;
      }
    }
    return new Check(acked.size(), missing, duplicated, misplaced);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
