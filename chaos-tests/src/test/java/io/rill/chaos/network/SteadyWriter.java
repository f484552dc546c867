package io.rill.chaos.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import io.rill.chaos.workload.Clients;
import io.rill.chaos.workload.Outcomes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An idempotent acks=all producer on its own thread ({@code writer-P}), sending unique values
 * round-robin over the topic's partitions at a steady pace, each send recorded in the history as
 * client process P. A failed or indeterminate send replaces the producer. Thread: the writer
 * thread owns the producer; {@link #close} stops and joins it.
 */
final class SteadyWriter implements AutoCloseable {
  private static final Duration PACE = Duration.ofMillis(20);
  private static final Duration JOIN_WAIT_MAX = Duration.ofSeconds(30);

  private final String bootstrap;
  private final String topic;
  private final int partitions;
  private final History history;
  private final String process;
  private final AtomicLong values;
  private final Thread thread;
  private volatile boolean running = true;

  SteadyWriter(String bootstrap, String topic, int partitions, History history, int process,
      AtomicLong values) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.partitions = partitions;
    this.history = history;
    this.process = Integer.toString(process);
    this.values = values;
    this.thread = new Thread(this::run, "writer-" + process);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    KafkaProducer<byte[], Long> producer = null;
    int partition = 0;
    while (running) {
      long value = values.incrementAndGet();
      ObjectNode v = Json.object().put("partition", partition).put("value", value);
      Op invoke = history.invoke(process, Functions.SEND, v);
      try {
        if (producer == null) {
          producer = Clients.producer(bootstrap, "writer-" + process, false);
        }
        long offset = producer.send(new ProducerRecord<>(topic, partition, null, value))
            .get(Clients.SEND_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS).offset();
        history.complete(invoke, OpType.OK, v.deepCopy().put("offset", offset));
      } catch (Exception e) {
        history.complete(invoke, Outcomes.of(e), v.deepCopy().put("error",
            Outcomes.describe(e)));
        if (producer != null) {
          producer.close(Duration.ZERO);
          producer = null;
        }
      }
      partition = (partition + 1) % partitions;
      LockSupport.parkNanos(PACE.toNanos()); // pacing, not waiting for a condition
    }
    if (producer != null) {
      producer.close(Duration.ZERO);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(JOIN_WAIT_MAX.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping " + thread.getName(), e);
    }
    if (thread.isAlive()) {
      throw new IllegalStateException(thread.getName() + " did not stop within "
          + JOIN_WAIT_MAX);
    }
  }
}
