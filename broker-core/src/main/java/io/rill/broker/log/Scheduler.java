package io.rill.broker.log;

import java.util.function.BooleanSupplier;

/**
 * Runs background work: delayed deletion of segment files, the periodic retention, flush and
 * checkpoint tasks of {@link LogManager}, the expiry of idle producer state. Injected so tests can run tasks
 * deterministically as they advance a fake {@link Time}.
 */
public interface Scheduler {
  /** Runs {@code task} once, {@code delayMs} from now. Tasks must not throw. */
  void schedule(String name, Runnable task, long delayMs);

  /**
   * Runs {@code task} every {@code intervalMs}, the first time one interval from now, for as
   * long as {@code active} holds when a run is due. A run that throws still schedules the next.
   */
  default void repeat(String name, long intervalMs, BooleanSupplier active, Runnable task) {
    schedule(name, () -> {
      if (!active.getAsBoolean()) {
        return;
      }
      try {
        task.run();
      } finally {
        repeat(name, intervalMs, active, task);
      }
    }, intervalMs);
  }
}
