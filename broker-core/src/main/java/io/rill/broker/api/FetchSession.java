package io.rill.broker.api;

import io.rill.broker.replica.PartitionRead;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * An incremental fetch session (KIP-227): the partitions a client fetches, kept by the broker so
 * that each following fetch only names what changed (a new fetch offset, a partition added or
 * forgotten) and each response only carries partitions with news (records, a moved high
 * watermark or log start offset, an error).
 *
 * <p>Partitions are keyed by topic id in sessions of Fetch v13 and later and by topic name
 * before; a session keeps the key kind it was created with. Their order is the order of reads
 * within a response's byte budget: a partition that returned records moves to the end, so no
 * partition starves behind a busy one.
 *
 * <p>Thread safety: every method holds the session's monitor. The epoch check and the update
 * run on the handler thread of the request, the response filter where the fetch completes (a
 * handler or, for a parked fetch, the thread whose append completed it).
 */
final class FetchSession {
  /** A client's first fetch of a session: full, asks for a new session. */
  static final int INITIAL_EPOCH = 0;
  /** A full fetch without a session (and the close of one named by its id). */
  static final int FINAL_EPOCH = -1;

  private final int id;
  private final boolean usesTopicIds;
  /** The epoch the next incremental fetch must carry. */
  private int nextEpoch = 1;
  private long lastUsedNanos;
  private final LinkedHashMap<Key, Cached> partitions = new LinkedHashMap<>();

  /** A partition's key: the topic id from Fetch v13 on, the topic name before. */
  record Key(Object topic, int partition) {
    static Key of(FetchPartition p, boolean usesTopicIds) {
      return new Key(usesTopicIds ? p.topicId() : p.topicName(), p.partition());
    }
  }

  /** What the client last asked for, and the watermarks it was last told. */
  private static final class Cached {
    FetchPartition request;
    long highWatermark = -1;
    long logStartOffset = -1;

    Cached(FetchPartition request) {
      this.request = request;
    }
  }

  FetchSession(int id, boolean usesTopicIds, List<FetchPartition> requested, long nowNanos) {
    this.id = id;
    this.usesTopicIds = usesTopicIds;
    this.lastUsedNanos = nowNanos;
    requested.forEach(p -> partitions.put(Key.of(p, usesTopicIds), new Cached(p)));
  }

  int id() {
    return id;
  }

  boolean usesTopicIds() {
    return usesTopicIds;
  }

  synchronized long lastUsedNanos() {
    return lastUsedNanos;
  }

  /**
   * An incremental fetch: if it carries the expected epoch, adds or updates the partitions it
   * names, then drops the forgotten ones (a partition both named and forgotten is dropped).
   *
   * @return whether the epoch matched; the session is unchanged when it did not
   */
  synchronized boolean update(int epoch, List<FetchPartition> changed, List<Key> forgotten,
      long nowNanos) {
    if (epoch != nextEpoch) {
      return false;
    }
    nextEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    lastUsedNanos = nowNanos;
    for (FetchPartition p : changed) {
      Key key = Key.of(p, usesTopicIds);
      Cached cached = partitions.get(key);
      if (cached == null) {
        partitions.put(key, new Cached(p));
      } else {
        cached.request = p;
      }
    }
    forgotten.forEach(partitions::remove);
    return true;
  }

  /** The partitions to read, in session order, as last requested. */
  synchronized List<FetchPartition> partitions() {
    List<FetchPartition> out = new ArrayList<>(partitions.size());
    partitions.values().forEach(c -> out.add(c.request));
    return out;
  }

  /** Records what a full response told the client about each partition (all were sent). */
  synchronized void sent(List<FetchedPartition> fetched) {
    for (FetchedPartition f : fetched) {
      Cached cached = partitions.get(Key.of(f.request(), usesTopicIds));
      if (cached != null) {
        remember(cached, f.read());
      }
    }
  }

  /**
   * Chooses, from the reads of an incremental fetch (in session order), those the response must
   * carry, remembers what they tell the client, and moves partitions that returned records to
   * the end of the session order. Reads of partitions no longer in the session (a later fetch
   * forgot them meanwhile) are dropped.
   */
  synchronized List<FetchedPartition> newsIn(List<FetchedPartition> fetched) {
    List<FetchedPartition> news = new ArrayList<>();
    List<Key> toEnd = new ArrayList<>();
    for (FetchedPartition f : fetched) {
      Key key = Key.of(f.request(), usesTopicIds);
      Cached cached = partitions.get(key);
      if (cached == null) {
        continue;
      }
      PartitionRead read = f.read();
      if (read.sizeInBytes() > 0 || read.error() != Errors.NONE
          || read.highWatermark() != cached.highWatermark
          || read.logStartOffset() != cached.logStartOffset) {
        news.add(f);
        remember(cached, read);
      }
      if (read.sizeInBytes() > 0) {
        toEnd.add(key);
      }
    }
    for (Key key : toEnd) {
      partitions.put(key, partitions.remove(key));
    }
    return news;
  }

  /** An error is never cached as the state the client knows, so the next response says more. */
  private static void remember(Cached cached, PartitionRead read) {
    boolean failed = read.error() != Errors.NONE;
    cached.highWatermark = failed ? -1 : read.highWatermark();
    cached.logStartOffset = failed ? -1 : read.logStartOffset();
  }

  @Override
  public synchronized String toString() {
    return "FetchSession(id=" + id + ", epoch=" + nextEpoch + ", partitions=" + partitions.size()
        + ")";
  }
}
