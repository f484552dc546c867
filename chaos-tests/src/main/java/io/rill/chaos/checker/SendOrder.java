package io.rill.chaos.checker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nonmonotonic-send}: a process sends one operation at a time, so each of its
 * acknowledged sends to a partition must land above the previous one it had acknowledged there
 * (the log only grows at its end). Holds across client restarts too, for the same reason.
 */
final class SendOrder {
  private SendOrder() {}

  static void check(HistoryIndex h, List<Anomaly> out) {
    Map<String, Send> last = new HashMap<>(); // "process/partition" → last acknowledged send
    for (Send s : h.sends) {
      if (!s.acked() || s.offset() < 0) {
        continue;
      }
      Send previous = last.put(s.process() + "/" + s.partition(), s);
      if (previous != null && s.offset() <= previous.offset()) {
        out.add(new Anomaly(AnomalyType.NONMONOTONIC_SEND, s.partition(),
            List.of(previous.offset(), s.offset()), List.of(previous.value(), s.value()),
            List.of(previous.completion().index(), s.completion().index()),
            "process " + s.process() + " sent value " + s.value() + " after " + previous.value()
                + ", but it landed at offset " + s.offset() + ", not above "
                + previous.offset()));
      }
    }
  }
}
