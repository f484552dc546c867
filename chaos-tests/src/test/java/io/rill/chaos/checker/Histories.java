package io.rill.chaos.checker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.ArrayList;
import java.util.List;

/** Hand-made histories for checker tests: each call appends an invoke and its completion. */
final class Histories {
  private final List<Op> ops = new ArrayList<>();

  /** An acknowledged send of {@code value} to {@code partition}, landed at {@code offset}. */
  Histories sendOk(int process, int partition, long value, long offset) {
    ObjectNode v = sendValue(partition, value);
    add(process, OpType.INVOKE, Functions.SEND, v);
    add(process, OpType.OK, Functions.SEND, sendValue(partition, value).put("offset", offset));
    return this;
  }

  /** A send that completed with {@code type} (info or fail): no offset known. */
  Histories send(int process, OpType type, int partition, long value) {
    add(process, OpType.INVOKE, Functions.SEND, sendValue(partition, value));
    add(process, type, Functions.SEND, sendValue(partition, value));
    return this;
  }

  /** An ok poll returning records given as (partition, offset, value) triples. */
  Histories poll(int process, long... partitionOffsetValue) {
    ObjectNode v = Json.object();
    ArrayNode records = v.putArray("records");
    for (int i = 0; i < partitionOffsetValue.length; i += 3) {
      records.addObject().put("partition", partitionOffsetValue[i])
          .put("offset", partitionOffsetValue[i + 1]).put("value", partitionOffsetValue[i + 2]);
    }
    add(process, OpType.INVOKE, Functions.POLL, Json.object());
    add(process, OpType.OK, Functions.POLL, v);
    return this;
  }

  Histories assign(int process, int... partitions) {
    return membership(process, Functions.ASSIGN, partitions);
  }

  Histories subscribe(int process, int... partitions) {
    return membership(process, Functions.SUBSCRIBE, partitions);
  }

  Histories nemesis(String f) {
    add(-1, OpType.INVOKE, f, Json.object().put("node", 1));
    add(-1, OpType.INFO, f, Json.object().put("node", 1));
    return this;
  }

  List<Op> ops() {
    return List.copyOf(ops);
  }

  CheckResult check() {
    return Checker.check(ops);
  }

  private Histories membership(int process, String f, int... partitions) {
    ObjectNode v = Json.object();
    ArrayNode list = v.putArray("partitions");
    for (int p : partitions) {
      list.add(p);
    }
    add(process, OpType.INVOKE, f, v);
    add(process, OpType.OK, f, v);
    return this;
  }

  private static ObjectNode sendValue(int partition, long value) {
    return Json.object().put("partition", partition).put("value", value);
  }

  private void add(int process, OpType type, String f, ObjectNode value) {
    String p = process < 0 ? Op.NEMESIS : Integer.toString(process);
    ops.add(new Op(ops.size(), ops.size() * 1_000_000L, p, type, f, value));
  }
}
