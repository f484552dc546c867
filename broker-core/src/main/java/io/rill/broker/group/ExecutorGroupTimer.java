package io.rill.broker.group;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link GroupTimer}: one daemon thread, {@code group-timer-0}, shared by every
 * group of the node. Cancelled tasks are removed at once so idle heartbeat deadlines (one per
 * member, rescheduled on each heartbeat) do not pile up in the queue.
 */
public final class ExecutorGroupTimer implements GroupTimer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutorGroupTimer.class);
  private final ScheduledThreadPoolExecutor executor;

  public ExecutorGroupTimer() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "group-timer-0");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Timeout schedule(String name, long delayMs, Runnable task) {
    if (executor.isShutdown()) {
      return () -> { };
    }
    ScheduledFuture<?> f = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("Group timer task {} failed", name, e);
      }
    }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
