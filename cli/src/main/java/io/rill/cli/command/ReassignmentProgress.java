package io.rill.cli.command;

import io.rill.client.KafkaClient;
import io.rill.client.Reassignments;
import io.rill.client.Reassignments.Tp;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Follows reassignments until none of the given partitions is being reassigned any more,
 * printing a progress line whenever the count of those still moving changes (and at least every
 * {@link #REPORT_EVERY_MS}): what an operator watches while data moves. Polls
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
        out.printf("%.1f s: %d of %d partitions moved, %d in progress%s%n",
            (now - start) / 1000.0, moving.size() - left.size(), moving.size(), left.size(),
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

  private static String example(Tp tp, Map<Tp, Reassignments.Ongoing> ongoing) {
    Reassignments.Ongoing o = ongoing.get(tp);
    return tp + " adding " + o.adding() + ", removing " + o.removing();
  }
}
