package io.rill.chaos.workload;

/**
 * What the workload does: {@code concurrency} client processes sharing {@code ratePerSec}
 * operations per second over {@code partitions} partitions of {@code topic}; {@code seed} makes
 * every client's choices repeatable. {@code unsafe} gives the producers acks=1 without
 * idempotence instead of Jepsen's safe settings.
 */
public record WorkloadConfig(String bootstrap, String topic, int partitions, double ratePerSec,
    int concurrency, long seed, boolean unsafe) {
  public WorkloadConfig {
    if (partitions < 1 || concurrency < 1 || !(ratePerSec > 0)) {
      throw new IllegalArgumentException("partitions, concurrency and rate must be positive: "
          + partitions + ", " + concurrency + ", " + ratePerSec);
    }
  }
}
