package io.rill.broker.log;

/** A clock tests advance by hand. */
final class MockTime implements Time {
  private volatile long ms;
  private volatile long ns;

  MockTime(long startMs) {
    this.ms = startMs;
  }

  @Override
  public long milliseconds() {
    return ms;
  }

  @Override
  public long nanoseconds() {
    return ns;
  }

  void sleep(long deltaMs) {
    ms += deltaMs;
    ns += deltaMs * 1_000_000L;
  }
}
