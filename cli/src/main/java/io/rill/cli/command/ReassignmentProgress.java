package io.rill.cli.command;

import io.rill.client.KafkaClient;
import io.rill.client.LogDirReplicas;
import io.rill.client.Reassignments;
import io.rill.client.Reassignments.Tp;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Follows reassignments until none of the given partitions is being reassigned any more,
 * printing a progress line whenever the count of those still moving changes (and at least every
 * {@link #REPORT_EVERY_MS}): what an operator watches while data moves, with the bytes the new
 * replicas have copied so far. Polls
 * ListPartitionReassignments every {@link #POLL_MS}; gives up after the timeout, saying which
 * partitions were still moving.
 */
final class ReassignmentProgress {
  static final long POLL_MS = 250;
  static final long REPORT_EVERY_MS = 5_000;

  private ReassignmentProgress() {}

  /** Waits; returns the partitions still moving at the deadline (empty when all are done). */
  static Set<Tp> await(KafkaClient client, Set<Tp> moving, long timeoutMs, PrintStream out)
      throws InterruptedException {
    long start = System.currentTimeMillis();
    long deadline = start + timeoutMs;
    int lastCount = -1;
    long lastReport = 0;
    while (true) {
      Map<Tp, Reassignments.Ongoing> ongoing = Reassignments.list(client);
      Set<Tp> left = new TreeSet<>(moving);
      left.retainAll(ongoing.keySet());
      long now = System.currentTimeMillis();
      if (left.size() != lastCount || now - lastReport >= REPORT_EVERY_MS) {
        out.printf("%.1f s: %d of %d partitions moved, %d in progress%s%s%n",
            (now - start) / 1000.0, moving.size() - left.size(), moving.size(), left.size(),
            left.isEmpty() ? "" : copied(client, left, ongoing),
            left.isEmpty() ? "" : " (e.g. " + example(left.iterator().next(), ongoing) + ")");
        lastCount = left.size();
        lastReport = now;
      }
      if (left.isEmpty() || now >= deadline) {
        return left;
      }
      Thread.sleep(Math.min(POLL_MS, Math.max(1, deadline - now)));
    }
  }

  /**
   * How much the new replicas of the partitions still moving have copied, against what their
   * sources hold ({@code "; 12.0 of 40.0 MiB copied"}), from each broker's DescribeLogDirs; empty
   * when a broker involved cannot say.
   */
  static String copied(KafkaClient client, Set<Tp> left,
      Map<Tp, Reassignments.Ongoing> ongoing) {
    Map<Integer, Map<Tp, Long>> sizes = new HashMap<>();
    long copied = 0;
    long total = 0;
    for (Tp tp : left) {
      Reassignments.Ongoing o = ongoing.get(tp);
      long source = 0;
      for (int b : o.replicas()) {
        if (!o.adding().contains(b)) {
          Optional<Map<Tp, Long>> s = sizesOf(client, b, sizes);
          source = Math.max(source, s.map(m -> m.getOrDefault(tp, 0L)).orElse(0L));
        }
      }
      for (int b : o.adding()) {
        Optional<Map<Tp, Long>> s = sizesOf(client, b, sizes);
        if (s.isEmpty()) {
          return "";
        }
        copied += Math.min(source, s.get().getOrDefault(tp, 0L));
        total += source;
      }
    }
    return String.format("; %.1f of %.1f MiB copied", copied / 1048576.0, total / 1048576.0);
  }

  private static Optional<Map<Tp, Long>> sizesOf(KafkaClient client, int broker,
      Map<Integer, Map<Tp, Long>> cache) {
    if (!cache.containsKey(broker)) {
      cache.put(broker, LogDirReplicas.of(client, broker, null).map(ReassignmentProgress::sizes)
          .orElse(null));
    }
    return Optional.ofNullable(cache.get(broker));
  }

  private static Map<Tp, Long> sizes(Map<Tp, LogDirReplicas.Replica> replicas) {
    Map<Tp, Long> sizes = new HashMap<>();
    replicas.forEach((tp, r) -> sizes.put(tp, r.sizeBytes()));
    return sizes;
  }

  private static String example(Tp tp, Map<Tp, Reassignments.Ongoing> ongoing) {
    Reassignments.Ongoing o = ongoing.get(tp);
    return tp + " adding " + o.adding() + ", removing " + o.removing();
  }
}
