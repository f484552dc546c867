package io.rill.chaos.checker;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the checker concluded: every anomaly (and, apart, those allowed under subscribe), the
 * count of client operation completions by type, acknowledged sends and nemesis faults.
 * Valid iff no anomaly of any class was found.
 */
public record CheckResult(List<Anomaly> anomalies, List<Anomaly> allowed, long ok, long info,
    long fail, long acked, long faults) {
  public CheckResult {
    anomalies = List.copyOf(anomalies);
    allowed = List.copyOf(allowed);
  }

  public boolean valid() {
    return anomalies.isEmpty();
  }

  /** Anomalies per class, every class present (0 if none), in the enum's order. */
  public Map<AnomalyType, Long> counts() {
    return countsOf(anomalies);
  }

  public Map<AnomalyType, Long> allowedCounts() {
    return countsOf(allowed);
  }

  public List<Anomaly> of(AnomalyType type) {
    return anomalies.stream().filter(a -> a.type() == type).toList();
  }

  private static Map<AnomalyType, Long> countsOf(List<Anomaly> list) {
    Map<AnomalyType, Long> counts = new EnumMap<>(AnomalyType.class);
    for (AnomalyType t : AnomalyType.values()) {
      counts.put(t, 0L);
    }
    list.forEach(a -> counts.merge(a.type(), 1L, Long::sum));
    return counts;
  }
}
