package io.rill.broker.group;

/**
 * Schedules the coordinator's deadlines — member session expiry, rebalance and sync timeouts,
 * the initial rebalance delay — as tasks on a shared timer, never a thread per group. Injected
 * so unit tests fire deadlines by advancing a manual clock.
 *
 * <p>Tasks run on the timer's thread(s) and take the coordinator's lock themselves; they must
 * not throw. A cancelled task never runs; cancel after the task started has no effect.
 */
public interface GroupTimer {
  /** A scheduled task that can still be cancelled. */
  interface Timeout {
    void cancel();
  }

  Timeout schedule(String name, long delayMs, Runnable task);
}
