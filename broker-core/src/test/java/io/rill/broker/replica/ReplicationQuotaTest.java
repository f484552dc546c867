package io.rill.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationQuotaTest {
  @Test
  void anUnboundedQuotaIsNeverExceeded() {
    ReplicationQuota q = new ReplicationQuota(11, 1000);
    q.record(Long.MAX_VALUE / 2, 0);
    assertThat(q.bounded()).isFalse();
    assertThat(q.exceeded(1)).isFalse();
  }

  @Test
  void theRateIsMeasuredOverTheWholeWindowSpanAndForgetsOldBytes() {
    ReplicationQuota q = new ReplicationQuota(11, 1000);
    q.setRate(1000);
    // The first 10 s worth of the rate pass at once (the span counts at least 10 windows).
    q.record(9_000, 0);
    assertThat(q.exceeded(0)).isFalse();
    q.record(2_000, 500);
    assertThat(q.exceeded(500)).as("11,000 bytes over >= 10 s").isTrue();
    assertThat(q.exceeded(5_000)).as("still within the windows").isTrue();
    assertThat(q.exceeded(12_000)).as("the bytes have aged out").isFalse();
    q.setRate(Long.MAX_VALUE);
    q.record(1_000_000, 12_000);
    assertThat(q.exceeded(12_000)).as("bound lifted").isFalse();
  }

  @Test
  void steadyTrafficAtTheRateStaysWithinIt() {
    ReplicationQuota q = new ReplicationQuota(11, 1000);
    q.setRate(1000);
    for (long t = 0; t < 60_000; t += 100) {
      assertThat(q.exceeded(t)).as("at %d ms", t).isFalse();
      q.record(90, t); // 900 bytes/s
    }
  }
}
