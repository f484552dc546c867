package io.rill.broker.log;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: a small pool of daemon threads named {@code log-scheduler-N}.
 * A task that throws is logged with its name and does not kill its thread.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
  /** How long {@link #close} waits for running tasks. */
  private static final long SHUTDOWN_WAIT_MS = 30_000;
  private final ScheduledThreadPoolExecutor executor;

  public ExecutorScheduler(int threads) {
    AtomicInteger ids = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable, "log-scheduler-" + ids.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
    this.executor = new ScheduledThreadPoolExecutor(threads, factory);
    // Pending deletions need not delay shutdown: the next start removes .deleted files.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void schedule(String name, Runnable task, long delayMs) {
    if (executor.isShutdown()) {
      LOG.debug("Scheduler closed; dropping task {}", name);
      return;
    }
    executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Scheduled task {} failed", name, e);
      }
    }, delayMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
      LOG.warn("Log scheduler tasks still running after {} ms", SHUTDOWN_WAIT_MS);
    }
  }
}
