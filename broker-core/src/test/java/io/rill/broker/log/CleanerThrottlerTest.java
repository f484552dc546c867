package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** log.cleaner.io.max.bytes.per.second holds the cleaner's I/O to its rate. */
class CleanerThrottlerTest {
  @Test
  void halfAMegabyteAtOneMegabyteASecondTakesAtLeastAboutHalfASecond() {
    CleanerThrottler throttler = new CleanerThrottler(1_000_000, Time.SYSTEM);
    long startNs = System.nanoTime();
    for (int i = 0; i < 500; i++) {
      throttler.acquire(1_000);
    }
    long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
    // Each window lets through what is due by its end: the whole run takes about 500 ms.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(390);
  }

  @Test
  void theDefaultRateNeverParks() {
    CleanerThrottler throttler = new CleanerThrottler(Double.MAX_VALUE, Time.SYSTEM);
    assertThat(throttler.limited()).isFalse();
    throttler.acquire(Long.MAX_VALUE / 2);
  }
}
