package io.rill.broker.purgatory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where delayed operations wait, watched under keys (a partition): whoever makes progress on a
 * key (an append, a high-watermark move) calls {@link #checkAndComplete}, which retries only
 * the operations watching that key. Deadlines fire on one timer thread, {@code
 * rill-purgatory-<name>}; no thread ever sleeps on behalf of a request.
 *
 * <p>Completed operations are purged from a key's watch list whenever that key is checked, and
 * by a sweep every {@link #PURGE_INTERVAL_OPS} watches, so the lists stay bounded by the
 * operations actually pending.
 *
 * @param <K> the watch key type
 */
public final class Purgatory<K> implements AutoCloseable {
  /** Watches between two sweeps of completed operations from idle keys. */
  static final int PURGE_INTERVAL_OPS = 1000;

  private final String name;
  private final Map<K, ConcurrentLinkedQueue<DelayedOperation>> watchers = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicInteger watchesSincePurge = new AtomicInteger();

  public Purgatory(String name) {
    this.name = name;
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rill-purgatory-" + name);
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Completes {@code op} now if it can, else watches it under {@code keys} until a check
   * completes it or its delay passes. Returns whether it completed immediately.
   */
  public boolean tryCompleteElseWatch(DelayedOperation op, List<K> keys) {
    if (op.tryComplete()) {
      return true;
    }
    for (K key : keys) {
      watchers.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(op);
    }
    // A completion may have happened between the first check and the watch: check again.
    if (op.tryComplete()) {
      return true;
    }
    op.setExpiry(timer.schedule(op::expire, op.delayMs(), TimeUnit.MILLISECONDS));
    if (watchesSincePurge.incrementAndGet() >= PURGE_INTERVAL_OPS) {
      watchesSincePurge.set(0);
      purgeCompleted();
    }
    return false;
  }

  /** Retries the operations watching {@code key}; returns how many completed. */
  public int checkAndComplete(K key) {
    ConcurrentLinkedQueue<DelayedOperation> ops = watchers.get(key);
    if (ops == null) {
      return 0;
    }
    int done = 0;
    List<DelayedOperation> snapshot = new ArrayList<>(ops);
    for (DelayedOperation op : snapshot) {
      if (op.isCompleted()) {
        ops.remove(op);
      } else if (op.tryComplete()) {
        ops.remove(op);
        done++;
      }
    }
    if (ops.isEmpty()) {
      watchers.remove(key, ops);
    }
    return done;
  }

  /** Operations still watched (completed ones not yet purged count too). */
  public int watched() {
    return watchers.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum();
  }

  private void purgeCompleted() {
    watchers.forEach((key, ops) -> {
      ops.removeIf(DelayedOperation::isCompleted);
      if (ops.isEmpty()) {
        watchers.remove(key, ops);
      }
    });
  }

  /** Completes every pending operation now (shutdown) and stops the timer. */
  @Override
  public void close() {
    for (ConcurrentLinkedQueue<DelayedOperation> ops : watchers.values()) {
      for (DelayedOperation op : ops) {
        op.forceComplete();
      }
    }
    watchers.clear();
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "Purgatory(" + name + ", watched=" + watched() + ")";
  }
}
