package io.rill.chaos.checker;

/**
 * The anomaly classes of Jepsen's Kafka checker ({@code jepsen/tests/kafka.clj}) that apply
 * without transactions, under the same names. {@link #name} is what results.json and {@code
 * bin/chaos check} print.
 */
public enum AnomalyType {
  /** An acknowledged send below the highest offset any poll read, which no poll ever read. */
  LOST_WRITE("lost-write"),
  /** An acknowledged send that no poll read by the end (lost, or only very late). */
  UNSEEN("unseen"),
  /** One value at more than one offset of a partition. */
  DUPLICATE("duplicate"),
  /** One offset of a partition holding more than one value. */
  INCONSISTENT_OFFSETS("inconsistent-offsets"),
  /** A process's later acknowledged send at an offset not above its earlier one's. */
  NONMONOTONIC_SEND("nonmonotonic-send"),
  /** A consumer, with no assign/subscribe in between, passed over offsets known to hold values. */
  POLL_SKIP("poll-skip"),
  /** A consumer, with no assign/subscribe in between, read an offset not above its last one. */
  NONMONOTONIC_POLL("nonmonotonic-poll");

  public final String name;

  AnomalyType(String name) {
    this.name = name;
  }
}
