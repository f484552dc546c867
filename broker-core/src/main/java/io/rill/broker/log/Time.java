package io.rill.broker.log;

/**
 * The clock the storage engine reads: wall-clock milliseconds for timestamps, retention and
 * segment age, and a monotonic nanosecond clock for durations. Injected so that tests of
 * retention and {@code segment.ms} advance time instead of sleeping.
 */
public interface Time {
  /** Milliseconds since the epoch, as stamped on LogAppendTime batches. */
  long milliseconds();

  /** A monotonic clock for measuring durations; unrelated to wall-clock time. */
  long nanoseconds();

  /** The real clocks. */
  Time SYSTEM =
      new Time() {
        @Override
        public long milliseconds() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
          return System.nanoTime();
        }
      };
}
