package io.rill.broker.purgatory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PurgatoryTest {

  /** Completes once {@code ready} is set; counts completions and expirations. */
  static final class Waiting extends DelayedOperation {
    final AtomicBoolean ready = new AtomicBoolean();
    final AtomicInteger completions = new AtomicInteger();
    final AtomicBoolean expired = new AtomicBoolean();
    final CountDownLatch done = new CountDownLatch(1);

    Waiting(long delayMs) {
      super(delayMs);
    }

    @Override
    public boolean tryComplete() {
      return ready.get() && forceComplete();
    }

    @Override
    protected void onComplete() {
      completions.incrementAndGet();
      done.countDown();
    }

    @Override
    protected void onExpiration() {
      expired.set(true);
    }
  }

  @Test
  void aCheckOnTheWatchedKeyCompletesTheOperationOnce() {
    try (Purgatory<String> p = new Purgatory<>("test")) {
      Waiting op = new Waiting(60_000);
      assertThat(p.tryCompleteElseWatch(op, List.of("a", "b"))).isFalse();
      assertThat(p.checkAndComplete("a")).isZero();
      op.ready.set(true);
      assertThat(p.checkAndComplete("b")).isEqualTo(1);
      assertThat(p.checkAndComplete("a")).isZero();
      assertThat(op.completions.get()).isEqualTo(1);
      assertThat(op.expired.get()).isFalse();
      assertThat(p.watched()).isZero();
    }
  }

  @Test
  void theDeadlineCompletesAnOperationWhoseConditionNeverHolds() throws InterruptedException {
    try (Purgatory<String> p = new Purgatory<>("test")) {
      Waiting op = new Waiting(50);
      p.tryCompleteElseWatch(op, List.of("a"));
      assertThat(op.done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(op.expired.get()).isTrue();
      assertThat(op.completions.get()).isEqualTo(1);
    }
  }

  @Test
  void anOperationReadyAtOnceIsNeverWatched() {
    try (Purgatory<String> p = new Purgatory<>("test")) {
      Waiting op = new Waiting(60_000);
      op.ready.set(true);
      assertThat(p.tryCompleteElseWatch(op, List.of("a"))).isTrue();
      assertThat(p.watched()).isZero();
    }
  }

  @Test
  void closeCompletesWhatIsPending() {
    Purgatory<String> p = new Purgatory<>("test");
    Waiting op = new Waiting(60_000);
    p.tryCompleteElseWatch(op, List.of("a"));
    p.close();
    assertThat(op.completions.get()).isEqualTo(1);
  }
}
