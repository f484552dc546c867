package io.rill.broker.group;

import io.rill.broker.log.Time;
import java.util.PriorityQueue;

/**
 * Time and a {@link GroupTimer} that tests move by hand: {@link #advance} runs every task due
 * by the new time, in deadline order (then scheduling order), on the calling thread.
 */
final class ManualClock implements Time, GroupTimer {
  private record Task(long dueMs, long seq, String name, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.dueMs != b.dueMs
      ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
  private long nowMs;
  private long seq;

  ManualClock(long startMs) {
    this.nowMs = startMs;
  }

  @Override
  public long milliseconds() {
    return nowMs;
  }

  @Override
  public long nanoseconds() {
    return nowMs * 1_000_000L;
  }

  @Override
  public Timeout schedule(String name, long delayMs, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(nowMs + Math.max(0, delayMs), seq++, name, task, cancelled));
    return () -> cancelled[0] = true;
  }

  void advance(long deltaMs) {
    long target = nowMs + deltaMs;
    while (!tasks.isEmpty() && tasks.peek().dueMs <= target) {
      Task t = tasks.poll();
      nowMs = Math.max(nowMs, t.dueMs);
      if (!t.cancelled[0]) {
        t.run.run();
      }
    }
    nowMs = target;
  }
}
