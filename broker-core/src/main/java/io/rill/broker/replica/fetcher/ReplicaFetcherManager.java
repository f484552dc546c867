package io.rill.broker.replica.fetcher;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.FollowerFetching;
import io.rill.broker.replica.ReplicaManager;
import io.rill.metadata.image.BrokerRegistration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The follower fetchers of this broker: {@code num.replica.fetchers} threads per leader broker,
 * a partition always on the same one (by hash). A partition's leader or epoch changing moves
 * or restarts its fetch; a thread whose partitions are all gone is stopped.
 *
 * <p>Threads: {@link #follow} and {@link #stop} come from the metadata loader thread; the map
 * of threads is guarded by this object's monitor.
 */
public final class ReplicaFetcherManager implements FollowerFetching, AutoCloseable {
  private record Key(int leader, int index) {}

  private final int localId;
  private final ReplicaManager replicas;
  private final IntFunction<Optional<BrokerRegistration>> brokers;
  private final FetcherSettings settings;
  private final Map<Key, ReplicaFetcherThread> threads = new HashMap<>();
  /** Partition -> the thread fetching it. */
  private final Map<TopicPartition, Key> assigned = new HashMap<>();
  private boolean closed;

  public ReplicaFetcherManager(int localId, ReplicaManager replicas,
      IntFunction<Optional<BrokerRegistration>> brokers, FetcherSettings settings) {
    this.localId = localId;
    this.replicas = replicas;
    this.brokers = brokers;
    this.settings = settings;
  }

  @Override
  public synchronized void follow(TopicPartition tp, int leader, int leaderEpoch) {
    if (closed) {
      return;
    }
    Key key = new Key(leader, Math.floorMod(tp.hashCode(), settings.fetchersPerSource()));
    Key previous = assigned.put(tp, key);
    if (previous != null && !previous.equals(key)) {
      detach(previous, tp);
    }
    threads.computeIfAbsent(key, k -> {
      ReplicaFetcherThread t = new ReplicaFetcherThread(localId, k.leader(), k.index(),
          replicas, brokers, settings);
      t.start();
      return t;
    }).add(tp, leaderEpoch);
  }

  @Override
  public synchronized void stop(TopicPartition tp) {
    Key key = assigned.remove(tp);
    if (key != null) {
      detach(key, tp);
    }
  }

  private void detach(Key key, TopicPartition tp) {
    ReplicaFetcherThread t = threads.get(key);
    if (t != null) {
      t.remove(tp);
      if (t.isIdle()) {
        t.shutdown();
        threads.remove(key);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    threads.values().forEach(ReplicaFetcherThread::shutdown);
    for (ReplicaFetcherThread t : threads.values()) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
    assigned.clear();
  }
}
