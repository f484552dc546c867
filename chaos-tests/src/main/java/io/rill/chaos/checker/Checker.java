package io.rill.chaos.checker;

import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a whole history for every anomaly class of {@link AnomalyType}. Pure: a function of the
 * operations, so a saved history re-checks to the same result ({@code bin/chaos check}).
 */
public final class Checker {
  private Checker() {}

  public static CheckResult check(List<Op> ops) {
    HistoryIndex h = new HistoryIndex(ops);
    List<Anomaly> anomalies = new ArrayList<>();
    List<Anomaly> allowed = new ArrayList<>();
    OffsetConsistency.check(h, anomalies);
    LostWrites.check(h, anomalies);
    SendOrder.check(h, anomalies);
    PollOrder.check(h, anomalies, allowed);
    long ok = 0;
    long info = 0;
    long fail = 0;
    long faults = 0;
    for (Op op : ops) {
      if (op.isNemesis()) {
        boolean started = op.type() == OpType.OK || op.type() == OpType.INFO;
        faults += started && op.f().startsWith("start-") ? 1 : 0;
        continue;
      }
      switch (op.type()) {
        case OK -> ok++;
        case INFO -> info++;
        case FAIL -> fail++;
        default -> { }
      }
    }
    long acked = h.sends.stream().filter(Send::acked).count();
    return new CheckResult(anomalies, allowed, ok, info, fail, acked, faults);
  }
}
