package io.rill.chaos.workload;

import io.rill.chaos.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The running workload: one thread ({@code client-N}) per client, each pacing itself to its
 * share of the rate (its sends are asynchronous, so acknowledgements do not slow it down). {@link #stop} asks them to finish their current operation and waits.
 * Values are unique across the whole run (one shared counter).
 */
public final class Workload {
  /**
   * A stop waits this long for a thread's current operation and its sends in flight (a send
   * waits at most 15 s for a slot, closing waits at most 15 s for the sends in flight).
   */
  private static final Duration STOP_WAIT_MAX = Duration.ofSeconds(45);

  private final WorkloadConfig config;
  private final History history;
  private final AtomicLong values = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  public Workload(WorkloadConfig config, History history) {
    this.config = config;
    this.history = history;
  }

  public void start() {
    long intervalNanos = (long) (1e9 * config.concurrency() / config.ratePerSec());
    for (int i = 0; i < config.concurrency(); i++) {
      ClientProcess client = new ClientProcess(i, config, history, values);
      Thread t = new Thread(() -> run(client, intervalNanos), "client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** How many history processes the clients use (numbered from 0); others may follow. */
  public int processes() {
    return ClientProcess.processes(config.concurrency());
  }

  /** The values handed out so far: the next send's value is this plus one. */
  public long valuesUsed() {
    return values.get();
  }

  /** Stops every client after its current operation; throws if one does not stop in time. */
  public void stop() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(STOP_WAIT_MAX.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted stopping the workload", e);
      }
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not finish its operation within "
            + STOP_WAIT_MAX);
      }
    }
  }

  private void run(ClientProcess client, long intervalNanos) {
    try (client) {
      long next = System.nanoTime();
      while (running) {
        client.step();
        next += intervalNanos;
        long now = System.nanoTime();
        if (next < now - intervalNanos) {
          next = now; // fell behind (a long timeout): do not burst to catch up
        }
        LockSupport.parkNanos(next - now); // pacing, not waiting for a condition
      }
    }
  }
}
