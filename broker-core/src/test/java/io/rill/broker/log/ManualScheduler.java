package io.rill.broker.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} whose tasks run when a test calls {@link #runDue} after advancing time. */
final class ManualScheduler implements Scheduler {
  private record Task(String name, Runnable run, long dueMs) {}

  private final MockTime time;
  private final List<Task> tasks = new ArrayList<>();

  ManualScheduler(MockTime time) {
    this.time = time;
  }

  @Override
  public synchronized void schedule(String name, Runnable task, long delayMs) {
    tasks.add(new Task(name, task, time.milliseconds() + delayMs));
  }

  /** Runs every task due by now (including ones they schedule that are also due). */
  void runDue() {
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.dueMs() <= time.milliseconds())
            .min(Comparator.comparingLong(Task::dueMs)).orElse(null);
        if (next == null) {
          return;
        }
        tasks.remove(next);
      }
      next.run().run();
    }
  }

  synchronized int pending() {
    return tasks.size();
  }
}
