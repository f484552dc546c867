package io.rill.chaos.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One client of the workload (Jepsen's queue workload): a producer and a consumer of the official
 * client, each operation recorded in the history. Consumer operations run one at a time under
 * the client's own process; sends are asynchronous, up to {@link #SENDS_IN_FLIGHT} at once, each
 * under a process of its {@link SendSlots} (so a slow acknowledgement does not hold the client
 * back, and {@code --rate} is kept). Sends carry unique values; polls read what this client's
 * consumer is assigned (or, now and then, given by a group after subscribe, with commitSync
 * after each poll). Any client error ends the operation as info or fail (see {@link Outcomes})
 * and tears that client down: a failed send closes the producer (its other sends in flight end
 * as info), and the consumer's teardown is recorded as a {@code crash}, after which it assigns or
 * subscribes anew.
 *
 * <p>Thread: everything here belongs to the one thread that calls {@link #step} (the clients
 * are not thread-safe), but for the send callbacks, which record completions, give back slots
 * and mark the producer failed.
 */
final class ClientProcess implements AutoCloseable {
  /** Chance that an operation is a new assign or subscribe (Jepsen's sub-p). */
  private static final double MEMBERSHIP_P = 1.0 / 64;
  /** Of those, the share that subscribes with a group rather than assigns. */
  private static final double SUBSCRIBE_P = 0.25;
  /** Of assigned partitions, the share read again from the beginning rather than resumed. */
  private static final double SEEK_BEGINNING_P = 0.3;
  /**
   * Short next to the pacing interval (30 ms at 200 ops/s over 6 clients), so that empty polls
   * do not eat the rate; records fetched in the background are returned at once.
   */
  private static final Duration POLL_TIME = Duration.ofMillis(25);
  /** Sends one client may have unacknowledged at once. */
  static final int SENDS_IN_FLIGHT = 4;

  private final String process;
  private final WorkloadConfig config;
  private final History history;
  private final AtomicLong values;
  private final Random random;
  private final SendSlots slots;
  private KafkaProducer<byte[], Long> producer;
  /** Set by a send's callback on an error: if still current, the next send replaces it. */
  private volatile KafkaProducer<byte[], Long> failedProducer;
  /**
   * The producer this client closed at once: the sends it aborts ("closed forcefully") may have
   * reached a broker already, so they end as info, not fail.
   */
  private volatile KafkaProducer<byte[], Long> abandonedProducer;
  private KafkaConsumer<byte[], Long> consumer;
  private boolean subscribed;
  /** partition → the next offset this process has not read yet (for resuming after assign). */
  private final Map<Integer, Long> resumeAt = new HashMap<>();

  /**
   * Client {@code process} of {@code config.concurrency()}: its consumer is process {@code
   * process}, its send slots processes {@code concurrency + process * SENDS_IN_FLIGHT + k}.
   */
  ClientProcess(int process, WorkloadConfig config, History history, AtomicLong values) {
    this.process = Integer.toString(process);
    this.config = config;
    this.history = history;
    this.values = values;
    this.random = new Random(config.seed() * 31 + process);
    List<String> sendProcesses = new ArrayList<>();
    for (int k = 0; k < SENDS_IN_FLIGHT; k++) {
      sendProcesses.add(Integer.toString(
          config.concurrency() + process * SENDS_IN_FLIGHT + k));
    }
    this.slots = new SendSlots(sendProcesses);
  }

  /** How many history processes {@code concurrency} clients use. */
  static int processes(int concurrency) {
    return concurrency * (1 + SENDS_IN_FLIGHT);
  }

  /** Runs one operation, chosen at random. */
  void step() {
    if (consumer == null || random.nextDouble() < MEMBERSHIP_P) {
      if (random.nextDouble() < SUBSCRIBE_P) {
        subscribe();
      } else {
        assign(randomPartitions());
      }
    } else if (random.nextBoolean()) {
      send(random.nextInt(config.partitions()));
    } else {
      poll();
    }
  }

  /** Starts a send of a new value (waiting for a free slot first); returns before its ack. */
  void send(int partition) {
    String slot;
    try {
      slot = slots.take(Clients.SEND_WAIT_MAX);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (slot == null) {
      return; // every send in flight is past its delivery timeout: skip this one
    }
    long value = values.incrementAndGet();
    ObjectNode v = Json.object().put("partition", partition).put("value", value);
    Op invoke = history.invoke(slot, Functions.SEND, v);
    AtomicBoolean done = new AtomicBoolean();
    try {
      if (producer != null && producer == failedProducer) {
        closeProducer(Duration.ZERO);
      }
      if (producer == null) {
        producer = Clients.producer(config.bootstrap(), "chaos-" + process, config.unsafe());
      }
      KafkaProducer<byte[], Long> p = producer;
      p.send(new ProducerRecord<>(config.topic(), partition, null, value), (m, e) -> {
        if (done.compareAndSet(false, true)) {
          finishSend(invoke, v, m, e, p);
          slots.release(slot);
        }
      });
    } catch (Exception e) {
      interruptedAgain(e);
      if (done.compareAndSet(false, true)) {
        finishSend(invoke, v, null, e, producer);
        slots.release(slot);
      }
    }
  }

  /** Records a send's outcome: ok with its offset, or info/fail (and {@code p} is done). */
  private void finishSend(Op invoke, ObjectNode v, RecordMetadata m, Exception e,
      KafkaProducer<byte[], Long> p) {
    if (e == null) {
      history.complete(invoke, OpType.OK, v.deepCopy().put("offset", m.offset()));
    } else {
      OpType type = p != null && p == abandonedProducer ? OpType.INFO : Outcomes.of(e);
      history.complete(invoke, type, v.deepCopy().put("error", Outcomes.describe(e)));
      failedProducer = p;
    }
  }

  void poll() {
    Op invoke = history.invoke(process, Functions.POLL, Json.object());
    ObjectNode v = Json.object();
    ArrayNode records = v.putArray("records");
    try {
      ConsumerRecords<byte[], Long> got = consumer.poll(POLL_TIME);
      for (ConsumerRecord<byte[], Long> r : got) {
        records.addObject().put("partition", r.partition()).put("offset", r.offset())
            .put("value", r.value());
        resumeAt.put(r.partition(), r.offset() + 1);
      }
      if (subscribed && !got.isEmpty()) {
        consumer.commitSync();
      }
      history.complete(invoke, OpType.OK, v);
    } catch (Exception e) {
      interruptedAgain(e);
      history.complete(invoke, OpType.INFO, v.put("error", Outcomes.describe(e)));
      crashConsumer();
    }
  }

  /** Reads {@code partitions}, each from the beginning or from where this process left off. */
  void assign(List<Integer> partitions) {
    ObjectNode v = membershipValue(partitions);
    Op invoke = history.invoke(process, Functions.ASSIGN, v);
    try {
      replaceConsumer(null);
      List<TopicPartition> tps =
          partitions.stream().map(p -> new TopicPartition(config.topic(), p)).toList();
      consumer.assign(tps);
      ArrayNode fromStart = v.putArray("from-beginning");
      for (TopicPartition tp : tps) {
        Long next = resumeAt.get(tp.partition());
        if (next == null || random.nextDouble() < SEEK_BEGINNING_P) {
          consumer.seekToBeginning(List.of(tp));
          fromStart.add(tp.partition());
        } else {
          consumer.seek(tp, next);
        }
      }
      subscribed = false;
      history.complete(invoke, OpType.OK, v);
    } catch (Exception e) {
      interruptedAgain(e);
      history.complete(invoke, OpType.INFO, v.put("error", Outcomes.describe(e)));
      crashConsumer();
    }
  }

  private void subscribe() {
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < config.partitions(); p++) {
      all.add(p);
    }
    Op invoke = history.invoke(process, Functions.SUBSCRIBE, membershipValue(all));
    try {
      replaceConsumer("chaos-group-" + config.seed());
      consumer.subscribe(List.of(config.topic()));
      subscribed = true;
      history.complete(invoke, OpType.OK, membershipValue(all));
    } catch (Exception e) {
      interruptedAgain(e);
      history.complete(invoke, OpType.INFO, membershipValue(all)
          .put("error", Outcomes.describe(e)));
      crashConsumer();
    }
  }

  private List<Integer> randomPartitions() {
    List<Integer> chosen = new ArrayList<>();
    boolean all = random.nextBoolean();
    for (int p = 0; p < config.partitions(); p++) {
      if (all || random.nextBoolean()) {
        chosen.add(p);
      }
    }
    if (chosen.isEmpty()) {
      chosen.add(random.nextInt(config.partitions()));
    }
    return chosen;
  }

  private static ObjectNode membershipValue(List<Integer> partitions) {
    ObjectNode v = Json.object();
    partitions.forEach(v.putArray("partitions")::add);
    return v;
  }

  private void replaceConsumer(String groupId) {
    if (consumer != null) {
      consumer.close(Clients.CLOSE_WAIT_MAX);
      consumer = null;
    }
    consumer = Clients.consumer(config.bootstrap(), "chaos-" + process, groupId);
  }

  /** The consumer is gone: recorded, so the checker forgets this process's positions. */
  private void crashConsumer() {
    Op invoke = history.invoke(process, Functions.CRASH, Json.object());
    if (consumer != null) {
      try {
        consumer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        // a consumer that will not close cleanly is dropped all the same
      }
      consumer = null;
    }
    history.complete(invoke, OpType.INFO, Json.object());
  }

  /**
   * Closes the producer, waiting up to {@code wait} for its sends in flight; those it gives up
   * on end in their callbacks, recorded as info (they may have reached a broker).
   */
  private void closeProducer(Duration wait) {
    if (producer != null) {
      abandonedProducer = producer;
      try {
        producer.close(wait);
      } catch (RuntimeException e) {
        // dropped all the same; its callbacks have recorded every send
      }
      producer = null;
    }
  }

  private static void interruptedAgain(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the sends in flight finish (within the send wait), then closes both clients. */
  @Override
  public void close() {
    closeProducer(Clients.SEND_WAIT_MAX);
    if (consumer != null) {
      try {
        consumer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        // closing at the end: nothing depends on it
      }
      consumer = null;
    }
  }
}
