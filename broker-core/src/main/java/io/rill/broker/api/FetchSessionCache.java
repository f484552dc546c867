package io.rill.broker.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The broker's incremental fetch sessions, at most {@code
 * max.incremental.fetch.session.cache.slots} of them (Kafka's default: 1,000). Sessions are not
 * tied to a connection: a client may resume one on a new connection. When the cache is full, a
 * new session takes the slot of the least recently used one only if that one has been idle for
 * {@link #EVICTABLE_AFTER_MS} (Kafka's {@code min.incremental.fetch.session.eviction.ms});
 * otherwise the client is answered without a session and simply keeps sending full fetches.
 *
 * <p>Thread safety: all methods hold the cache's monitor, and may take a session's inside it;
 * nothing takes the cache's monitor while holding a session's.
 */
final class FetchSessionCache {
  static final long EVICTABLE_AFTER_MS = 120_000;

  private final int maxSessions;
  private final LongSupplier nanoClock;
  /** Access order: least recently used first. */
  private final LinkedHashMap<Integer, FetchSession> sessions =
      new LinkedHashMap<>(16, 0.75f, true);

  FetchSessionCache(int maxSessions, LongSupplier nanoClock) {
    this.maxSessions = maxSessions;
    this.nanoClock = nanoClock;
  }

  /** A new session holding {@code partitions}, or empty when no slot is free. */
  synchronized Optional<FetchSession> create(boolean usesTopicIds,
      List<FetchPartition> partitions) {
    long now = nanoClock.getAsLong();
    if (sessions.size() >= maxSessions && !evictOneIdle(now)) {
      return Optional.empty();
    }
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
    } while (sessions.containsKey(id));
    FetchSession session = new FetchSession(id, usesTopicIds, partitions, now);
    sessions.put(id, session);
    return Optional.of(session);
  }

  private boolean evictOneIdle(long now) {
    Iterator<FetchSession> lru = sessions.values().iterator();
    if (lru.hasNext() && now - lru.next().lastUsedNanos()
        >= TimeUnit.MILLISECONDS.toNanos(EVICTABLE_AFTER_MS)) {
      lru.remove();
      return true;
    }
    return false;
  }

  synchronized Optional<FetchSession> get(int id) {
    return Optional.ofNullable(sessions.get(id));
  }

  synchronized void remove(int id) {
    sessions.remove(id);
  }
}
