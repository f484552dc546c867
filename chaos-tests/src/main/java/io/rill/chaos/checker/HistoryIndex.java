package io.rill.chaos.checker;

import com.fasterxml.jackson.databind.JsonNode;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A history taken apart for the checks: sends paired with their completions, every record any
 * poll returned, and per partition the version order Jepsen builds (offset to values, value to
 * offsets) from acknowledged sends and from reads. Polls of every completion type count, since a
 * broker must serve only safe data whatever the client made of it (kafka.clj).
 */
final class HistoryIndex {
  final List<Op> ops;
  final List<Send> sends = new ArrayList<>();
  final List<Read> reads = new ArrayList<>();
  /** partition → offset → values seen there (acknowledged sends and reads). */
  final Map<Integer, TreeMap<Long, Set<Long>>> valuesAt = new TreeMap<>();
  /** partition → value → offsets it was seen at. */
  final Map<Integer, Map<Long, TreeSet<Long>>> offsetsOf = new TreeMap<>();
  /** partition → values some poll read. */
  final Map<Integer, Set<Long>> readValues = new HashMap<>();

  HistoryIndex(List<Op> ops) {
    this.ops = List.copyOf(ops);
    Map<String, Op> open = new HashMap<>();
    for (Op op : this.ops) {
      if (op.type() == OpType.INVOKE) {
        Op previous = open.put(op.process(), op);
        if (previous != null) {
          throw new IllegalArgumentException("process " + op.process() + " invoked operation "
              + op.index() + " while " + previous.index() + " was still open");
        }
        continue;
      }
      Op invoke = open.remove(op.process());
      if (invoke != null && op.f().equals(Functions.SEND)) {
        addSend(invoke, op);
      }
      if (op.f().equals(Functions.POLL)) {
        addReads(op);
      }
    }
    open.values().stream().filter(op -> op.f().equals(Functions.SEND))
        .forEach(op -> addSend(op, op));
  }

  /** The offsets of {@code partition} known to hold a value, strictly between two offsets. */
  Set<Long> knownBetween(int partition, long fromExclusive, long toExclusive) {
    TreeMap<Long, Set<Long>> at = valuesAt.get(partition);
    if (at == null || toExclusive <= fromExclusive + 1) {
      return Set.of();
    }
    return at.subMap(fromExclusive, false, toExclusive, false).keySet();
  }

  private void addSend(Op invoke, Op completion) {
    JsonNode v = invoke.value();
    int partition = v.path("partition").asInt();
    long value = v.path("value").asLong();
    long offset = completion.type() == OpType.OK && completion.value().has("offset")
        ? completion.value().get("offset").asLong() : -1;
    Send send = new Send(invoke.process(), partition, value, offset, invoke, completion);
    sends.add(send);
    if (send.acked() && offset >= 0) {
      observe(partition, offset, value);
    }
  }

  private void addReads(Op completion) {
    for (JsonNode r : completion.value().path("records")) {
      Read read = new Read(completion.process(), r.path("partition").asInt(),
          r.path("offset").asLong(), r.path("value").asLong(), completion);
      reads.add(read);
      readValues.computeIfAbsent(read.partition(), k -> new java.util.HashSet<>())
          .add(read.value());
      observe(read.partition(), read.offset(), read.value());
    }
  }

  private void observe(int partition, long offset, long value) {
    valuesAt.computeIfAbsent(partition, k -> new TreeMap<>())
        .computeIfAbsent(offset, k -> new TreeSet<>()).add(value);
    offsetsOf.computeIfAbsent(partition, k -> new HashMap<>())
        .computeIfAbsent(value, k -> new TreeSet<>()).add(offset);
  }
}
