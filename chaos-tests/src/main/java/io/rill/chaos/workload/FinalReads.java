package io.rill.chaos.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The final phase (Jepsen's final polls): after every fault is healed, one fresh client process
 * per partition assigns it, seeks to the beginning and polls until it has read past the highest
 * offset ever acknowledged there, or the deadline passes. A client error is recorded as usual
 * (info, crash) and the reader starts over from the beginning. Runs on the caller's thread.
 */
public final class FinalReads {
  private static final Duration POLL_TIME = Duration.ofMillis(500);

  private FinalReads() {}

  /**
   * Reads every partition in {@code highestAcked} (partition → highest acknowledged offset) with
   * processes numbered from {@code firstProcess}. Returns the partitions not read far enough.
   */
  public static List<Integer> run(WorkloadConfig config, History history,
      Map<Integer, Long> highestAcked, int firstProcess, Duration timeLimit) {
    long deadline = System.nanoTime() + timeLimit.toNanos();
    return highestAcked.entrySet().stream()
        .filter(e -> !readUpTo(config, history, firstProcess + e.getKey(), e.getKey(),
            e.getValue(), deadline))
        .map(Map.Entry::getKey).toList();
  }

  private static boolean readUpTo(WorkloadConfig config, History history, int processNumber,
      int partition, long highest, long deadline) {
    String process = Integer.toString(processNumber);
    TopicPartition tp = new TopicPartition(config.topic(), partition);
    while (System.nanoTime() < deadline) {
      ObjectNode assignValue = Json.object();
      assignValue.putArray("partitions").add(partition);
      assignValue.putArray("from-beginning").add(partition);
      Op assign = history.invoke(process, Functions.ASSIGN, assignValue);
      try (KafkaConsumer<byte[], Long> consumer =
               Clients.consumer(config.bootstrap(), "chaos-final-" + partition, null)) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        history.complete(assign, OpType.OK, assignValue);
        long next = 0;
        while (next <= highest && System.nanoTime() < deadline) {
          next = pollOnce(consumer, history, process, next);
        }
        if (next > highest) {
          return true;
        }
      } catch (ReadFailed e) {
        Op crash = history.invoke(process, Functions.CRASH, Json.object());
        history.complete(crash, OpType.INFO, Json.object());
      }
    }
    return false;
  }

  /** One poll, recorded; returns the offset after the last record read (or {@code next}). */
  private static long pollOnce(KafkaConsumer<byte[], Long> consumer, History history,
      String process, long next) {
    Op invoke = history.invoke(process, Functions.POLL, Json.object());
    ObjectNode v = Json.object();
    ArrayNode records = v.putArray("records");
    try {
      ConsumerRecords<byte[], Long> got = consumer.poll(POLL_TIME);
      long after = next;
      for (ConsumerRecord<byte[], Long> r : got) {
        records.addObject().put("partition", r.partition()).put("offset", r.offset())
            .put("value", r.value());
        after = r.offset() + 1;
      }
      history.complete(invoke, OpType.OK, v);
      return after;
    } catch (RuntimeException e) {
      history.complete(invoke, OpType.INFO, v.put("error", Outcomes.describe(e)));
      throw new ReadFailed();
    }
  }

  /** A poll failed; the reader starts over. */
  private static final class ReadFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReadFailed() {
      super(null, null, false, false);
    }
  }
}
