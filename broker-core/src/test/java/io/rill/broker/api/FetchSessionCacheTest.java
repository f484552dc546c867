package io.rill.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FetchSessionCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final FetchSessionCache cache = new FetchSessionCache(2, now::get);

  @Test
  void aFullCacheRefusesNewSessionsUntilTheLeastRecentlyUsedHasIdledLongEnough() {
    FetchSession a = cache.create(false, List.of(partition("t", 0))).orElseThrow();
    FetchSession b = cache.create(false, List.of(partition("t", 1))).orElseThrow();
    assertThat(a.id()).isNotEqualTo(b.id()).isPositive();
    assertThat(cache.create(false, List.of())).as("no free slot").isEmpty();

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(FetchSessionCache.EVICTABLE_AFTER_MS));
    assertThat(a.update(1, List.of(), List.of(), now.get())).isTrue();
    cache.get(a.id());
    assertThat(cache.create(false, List.of())).as("b idled 120 s and is evicted").isPresent();
    assertThat(cache.get(b.id())).isEmpty();
    assertThat(cache.get(a.id())).contains(a);
  }

  @Test
  void noSlotsMeansNoSessions() {
    assertThat(new FetchSessionCache(0, now::get).create(true, List.of())).isEmpty();
  }

  @Test
  void epochsMustFollowOneAnotherAndForgettingWinsOverNaming() {
    FetchSession s = cache.create(false, List.of(partition("t", 0))).orElseThrow();
    assertThat(s.update(2, List.of(), List.of(), 0)).as("skipped epoch 1").isFalse();
    assertThat(s.update(1, List.of(partition("t", 1)), List.of(), 0)).isTrue();
    assertThat(s.update(1, List.of(), List.of(), 0)).as("epoch 1 again").isFalse();
    assertThat(s.partitions()).extracting(FetchPartition::partition).containsExactly(0, 1);
    assertThat(s.update(2, List.of(partition("t", 2)),
        List.of(new FetchSession.Key("t", 2), new FetchSession.Key("t", 0)), 0)).isTrue();
    assertThat(s.partitions()).as("named and forgotten in one fetch: forgotten")
        .extracting(FetchPartition::partition).containsExactly(1);
  }

  private static FetchPartition partition(String topic, int partition) {
    return new FetchPartition(topic, new UUID(0, 0), partition, 0, 1 << 20, -1, null);
  }
}
