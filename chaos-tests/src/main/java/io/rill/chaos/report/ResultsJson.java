package io.rill.chaos.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.checker.Anomaly;
import io.rill.chaos.checker.AnomalyType;
import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.history.HistoryCodec;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code results.json}: {@code {"valid", "anomalies": {class: count}, "allowed": {class: count},
 * "ops": {"ok","info","fail"}, "acked", "faults", "seed", "details": {class: [anomaly, ...]}}}.
 * Each detailed anomaly names its key (the partition), offsets, values, the indexes of the
 * operations that show it and those operations' history lines; at most {@link #DETAILS_MAX} per
 * class are written in full (the count is always complete).
 */
public final class ResultsJson {
  public static final int DETAILS_MAX = 1000;
  /** Operations quoted in full per anomaly (the indexes list is always complete). */
  private static final int QUOTED_OPS_MAX = 4;

  private ResultsJson() {}

  public static ObjectNode toJson(CheckResult r, List<Op> history, OptionalLong seed) {
    ObjectNode root = Json.object();
    root.put("valid", r.valid());
    root.set("anomalies", counts(r.counts()));
    root.set("allowed", counts(r.allowedCounts()));
    ObjectNode ops = root.putObject("ops");
    ops.put("ok", r.ok());
    ops.put("info", r.info());
    ops.put("fail", r.fail());
    root.put("acked", r.acked());
    root.put("faults", r.faults());
    if (seed.isPresent()) {
      root.put("seed", seed.getAsLong());
    } else {
      root.putNull("seed");
    }
    ObjectNode details = root.putObject("details");
    for (AnomalyType t : AnomalyType.values()) {
      List<Anomaly> of = r.of(t);
      if (!of.isEmpty()) {
        ArrayNode list = details.putArray(t.name);
        of.stream().limit(DETAILS_MAX).forEach(a -> list.add(anomaly(a, history)));
      }
    }
    return root;
  }

  public static void write(Path file, ObjectNode results) {
    try {
      Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static ObjectNode anomaly(Anomaly a, List<Op> history) {
    ObjectNode n = Json.object();
    n.put("type", a.type().name);
    n.put("key", a.partition());
    a.offsets().forEach(n.putArray("offsets")::add);
    a.values().forEach(n.putArray("values")::add);
    a.ops().forEach(n.putArray("ops")::add);
    n.put("note", a.note());
    ArrayNode lines = n.putArray("operations");
    a.ops().stream().limit(QUOTED_OPS_MAX).filter(i -> i >= 0 && i < history.size())
        .forEach(i -> lines.add(HistoryCodec.toLine(history.get(Math.toIntExact(i)))));
    return n;
  }

  private static ObjectNode counts(Map<AnomalyType, Long> counts) {
    ObjectNode n = Json.object();
    counts.forEach((t, c) -> n.put(t.name, c));
    return n;
  }
}
