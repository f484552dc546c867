package io.rill.broker.log;

/**
 * Runs background work for the logs: delayed deletion of segment files and the periodic
 * retention, flush and checkpoint tasks of {@link LogManager}. Injected so tests can run tasks
 * deterministically as they advance a fake {@link Time}.
 */
public interface Scheduler {
  /** Runs {@code task} once, {@code delayMs} from now. Tasks must not throw. */
  void schedule(String name, Runnable task, long delayMs);
}
