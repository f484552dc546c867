package io.rill.broker.purgatory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request that waits for a condition — a fetch for min.bytes, an acks=all produce for the
 * high watermark — or for its deadline, whichever comes first, and then completes exactly once.
 *
 * <p>Subclasses implement {@link #tryComplete} (check the condition; if met, call {@link
 * #forceComplete} and return true), {@link #onComplete} (build and send the response) and
 * optionally {@link #onExpiration}. {@code tryComplete} may run on any thread that makes
 * progress (a handler after an append, the timer) and concurrently with itself, so it must be
 * safe to call repeatedly; {@code onComplete} runs once, on the thread that won {@link
 * #forceComplete}.
 */
public abstract class DelayedOperation {
  private final long delayMs;
  private final AtomicBoolean completed = new AtomicBoolean();
  private volatile ScheduledFuture<?> expiry;

  protected DelayedOperation(long delayMs) {
    this.delayMs = delayMs;
  }

  public long delayMs() {
    return delayMs;
  }

  /** Checks the condition and completes if it holds; returns whether the operation is done. */
  public abstract boolean tryComplete();

  /** Sends the response; called exactly once. */
  protected abstract void onComplete();

  /** Called before {@link #onComplete} when the deadline passed first. */
  protected void onExpiration() {}

  /**
   * Completes the operation if nobody else has; returns true only to the one caller that did.
   */
  public final boolean forceComplete() {
    if (!completed.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> e = expiry;
    if (e != null) {
      e.cancel(false);
    }
    onComplete();
    return true;
  }

  public final boolean isCompleted() {
    return completed.get();
  }

  final void setExpiry(ScheduledFuture<?> expiry) {
    this.expiry = expiry;
  }

  final void expire() {
    if (!completed.get()) {
      if (tryComplete()) {
        return;
      }
      onExpiration();
      forceComplete();
    }
  }
}
