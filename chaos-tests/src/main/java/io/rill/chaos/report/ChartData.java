package io.rill.chaos.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots' data, in uPlot's column form: {@code latency} = [invoke times (s), ok ms, info ms,
 * fail ms] (one row per client operation, null in the columns of other types), {@code
 * throughput} = [second, ok, info, fail] completions per second, and {@code faults} = [{from,
 * to}] seconds during which a fault was in force (start's completion to stop's invoke).
 */
final class ChartData {
  private ChartData() {}

  static ObjectNode of(List<Op> history) {
    ObjectNode data = Json.object();
    ArrayNode[] latency = columns(data.putArray("latency"), 4);
    Map<String, Op> open = new HashMap<>();
    List<long[]> perSecond = new ArrayList<>(); // [ok, info, fail] per second
    ArrayNode faults = data.putArray("faults");
    Double faultFrom = null;
    for (Op op : history) {
      double t = op.timeNanos() / 1e9;
      if (op.isNemesis()) {
        if (op.type() != OpType.INVOKE && op.f().startsWith("start-")) {
          faultFrom = t;
        } else if (op.type() == OpType.INVOKE && op.f().startsWith("stop-") && faultFrom != null) {
          faults.addObject().put("from", faultFrom).put("to", t);
          faultFrom = null;
        }
        continue;
      }
      if (op.type() == OpType.INVOKE) {
        open.put(op.process(), op);
        continue;
      }
      Op invoke = open.remove(op.process());
      int column = op.type() == OpType.OK ? 0 : op.type() == OpType.INFO ? 1 : 2;
      int second = (int) t;
      while (perSecond.size() <= second) {
        perSecond.add(new long[3]);
      }
      perSecond.get(second)[column]++;
      if (invoke != null) {
        latency[0].add(round(invoke.timeNanos() / 1e9));
        for (int c = 0; c < 3; c++) {
          if (c == column) {
            latency[c + 1].add(Math.max(0.01, round((op.timeNanos() - invoke.timeNanos()) / 1e6)));
          } else {
            latency[c + 1].addNull();
          }
        }
      }
    }
    if (faultFrom != null) {
      faults.addObject().put("from", faultFrom).put("to", history.isEmpty() ? faultFrom
          : history.get(history.size() - 1).timeNanos() / 1e9);
    }
    sortByTime(latency);
    ArrayNode[] throughput = columns(data.putArray("throughput"), 4);
    for (int s = 0; s < perSecond.size(); s++) {
      throughput[0].add(s);
      for (int c = 0; c < 3; c++) {
        throughput[c + 1].add(perSecond.get(s)[c]);
      }
    }
    return data;
  }

  private static ArrayNode[] columns(ArrayNode parent, int count) {
    ArrayNode[] cols = new ArrayNode[count];
    for (int i = 0; i < count; i++) {
      cols[i] = parent.addArray();
    }
    return cols;
  }

  /** uPlot needs ascending x: rows are in completion order, so sort them by invoke time. */
  private static void sortByTime(ArrayNode[] cols) {
    int n = cols[0].size();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(i);
    }
    rows.sort((a, b) -> Double.compare(cols[0].get(a).asDouble(), cols[0].get(b).asDouble()));
    for (ArrayNode col : cols) {
      List<com.fasterxml.jackson.databind.JsonNode> copy = new ArrayList<>();
      rows.forEach(r -> copy.add(col.get(r)));
      col.removeAll();
      col.addAll(copy);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
