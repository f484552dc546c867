package io.rill.chaos.checker;

import io.rill.chaos.history.Functions;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code poll-skip} and {@code nonmonotonic-poll}: a consumer reads each partition in offset
 * order, so between two reads of one process, within one poll or across polls, with no assign,
 * subscribe or crash in between, the offset must grow, and no offset known to hold a value may be
 * passed over. An assign, subscribe or crash forgets the positions (the consumer seeks anew).
 * Under subscribe a rebalance may move a consumer at any time, so what is found there is
 * allowed (Jepsen's {@code allowed-error-types}) and goes to {@code allowed}, not {@code out}.
 */
final class PollOrder {
  private PollOrder() {}

  static void check(HistoryIndex h, List<Anomaly> out, List<Anomaly> allowed) {
    Map<String, Map<Integer, Read>> lastRead = new HashMap<>();
    Map<String, Boolean> subscribed = new HashMap<>();
    Map<Op, List<Read>> readsByPoll = new HashMap<>();
    for (Read r : h.reads) {
      readsByPoll.computeIfAbsent(r.op(), k -> new ArrayList<>()).add(r);
    }
    for (Op op : h.ops) {
      if (op.type() == OpType.INVOKE || op.isNemesis()) {
        continue;
      }
      switch (op.f()) {
        case Functions.ASSIGN, Functions.SUBSCRIBE, Functions.CRASH -> {
          lastRead.remove(op.process());
          subscribed.put(op.process(), op.f().equals(Functions.SUBSCRIBE));
        }
        case Functions.POLL -> {
          List<Anomaly> sink = subscribed.getOrDefault(op.process(), false) ? allowed : out;
          Map<Integer, Read> positions =
              lastRead.computeIfAbsent(op.process(), k -> new HashMap<>());
          for (Read r : readsByPoll.getOrDefault(op, List.of())) {
            Read previous = positions.put(r.partition(), r);
            if (previous != null) {
              compare(h, previous, r, sink);
            }
          }
        }
        default -> { }
      }
    }
  }

  private static void compare(HistoryIndex h, Read previous, Read r, List<Anomaly> sink) {
    List<Long> ops = previous.op() == r.op() ? List.of(r.op().index())
        : List.of(previous.op().index(), r.op().index());
    if (r.offset() <= previous.offset()) {
      sink.add(new Anomaly(AnomalyType.NONMONOTONIC_POLL, r.partition(),
          List.of(previous.offset(), r.offset()), List.of(previous.value(), r.value()), ops,
          "process " + r.process() + " read offset " + r.offset() + " after offset "
              + previous.offset()));
      return;
    }
    Set<Long> skipped = h.knownBetween(r.partition(), previous.offset(), r.offset());
    if (!skipped.isEmpty()) {
      List<Long> offsets = new ArrayList<>();
      offsets.add(previous.offset());
      skipped.stream().limit(10).forEach(offsets::add);
      offsets.add(r.offset());
      sink.add(new Anomaly(AnomalyType.POLL_SKIP, r.partition(), offsets,
          List.of(previous.value(), r.value()), ops,
          "process " + r.process() + " read offset " + r.offset() + " right after offset "
              + previous.offset() + ", skipping " + skipped.size() + " offset(s) known to hold "
              + "values"));
    }
  }
}
