package io.rill.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * One line of a history: {@code {"index":N, "time":NANOS, "process":P, "type":T, "f":F,
 * "value":V}}. {@code index} is the line's position (0, 1, 2, ... in real-time order); {@code
 * time} is nanoseconds since the history began. {@code process} is a client's number ("0", "1",
 * ...; written as a JSON number) or {@code "nemesis"}. Each process has at most one operation open
 * at a time, so an invoke is closed by the next line of the same process.
 */
public record Op(long index, long timeNanos, String process, OpType type, String f,
    JsonNode value) {
  /** The process of fault-injection operations. */
  public static final String NEMESIS = "nemesis";

  public Op {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    value = value == null ? NullNode.getInstance() : value;
  }

  public boolean isNemesis() {
    return NEMESIS.equals(process);
  }

  /** A short form for reports and messages: {@code 42 3 ok send}. */
  @Override
  public String toString() {
    return index + " " + process + " " + type.json() + " " + f + " " + value;
  }
}
