package io.rill.broker.replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a partition leader knows of its followers, and the replication decisions that follow
 * from it, as pure functions of that state and the time passed in (in the style of etcd's
 * {@code tracker/progress.go}; the rules are Kafka's, replication-notes.md §1.2-§2.1):
 *
 * <ul>
 *   <li>A follower's log end offset is what its latest fetch asked for: everything below it is
 *       on the follower.
 *   <li>It is caught up at a fetch when that fetch reached the leader's log end as it stood when
 *       the fetch arrived; or, failing that, when it reached the leader's log end of its
 *       previous fetch (then it was caught up as of that earlier time).
 *   <li>The high watermark is the smallest log end over the leader and the ISR's followers; it
 *       never goes back.
 *   <li>An ISR follower falls out when its log end differs from the leader's and it has not been
 *       caught up for longer than {@code replica.lag.time.max.ms}.
 *   <li>A follower may join the ISR when its log end has reached the high watermark and the start
 *       of the current leader epoch (KAFKA-7128: before that it may lack records this leader
 *       acknowledged).
 * </ul>
 *
 * <p>Not thread-safe: its {@link Partition} guards it.
 */
public final class FollowerTracker {
  /** One follower: -1 log end until its first fetch in this leader epoch. */
  public record Follower(long logEndOffset, long lastFetchMs, long lastCaughtUpMs,
      long leaderEndAtLastFetch) {}

  private final Map<Integer, Follower> followers = new HashMap<>();

  /**
   * This replica became leader (or its epoch changed): every follower's state starts over. ISR
   * members count as caught up now, so none is dropped before it had a chance to fetch.
   */
  public void reset(List<Integer> replicas, List<Integer> isr, int self, long nowMs) {
    followers.clear();
    for (int r : replicas) {
      if (r != self) {
        followers.put(r, new Follower(-1, 0, isr.contains(r) ? nowMs : 0, -1));
      }
    }
  }

  /** The replica set changed without a new epoch: keep what is known, add or drop the rest. */
  public void updateReplicas(List<Integer> replicas, int self) {
    followers.keySet().retainAll(replicas);
    for (int r : replicas) {
      if (r != self) {
        followers.putIfAbsent(r, new Follower(-1, 0, 0, -1));
      }
    }
  }

  /** Whether {@code id} is a follower of this partition (a replica other than the leader). */
  public boolean knows(int id) {
    return followers.containsKey(id);
  }

  /** A fetch from {@code id} at {@code fetchOffset}, with the leader's log end at its arrival. */
  public void onFetch(int id, long fetchOffset, long leaderEndOffset, long nowMs) {
    Follower f = followers.get(id);
    if (f == null) {
      return;
    }
    long caughtUp = f.lastCaughtUpMs();
    if (fetchOffset >= leaderEndOffset) {
      caughtUp = nowMs;
    } else if (f.leaderEndAtLastFetch() >= 0 && fetchOffset >= f.leaderEndAtLastFetch()) {
      caughtUp = Math.max(caughtUp, f.lastFetchMs());
    }
    followers.put(id, new Follower(fetchOffset, nowMs, caughtUp, leaderEndOffset));
  }

  /**
   * The high watermark this state allows: the smallest log end over the leader's own and the
   * ISR's followers, never below {@code current}.
   */
  public long highWatermark(List<Integer> isr, int self, long leaderEndOffset, long current) {
    long hw = leaderEndOffset;
    for (int r : isr) {
      if (r == self) {
        continue;
      }
      Follower f = followers.get(r);
      hw = Math.min(hw, f == null ? -1 : f.logEndOffset());
    }
    return Math.max(hw, current);
  }

  /** The ISR followers that have fallen out of sync. */
  public List<Integer> outOfSync(List<Integer> isr, int self, long leaderEndOffset, long nowMs,
      long lagMaxMs) {
    List<Integer> out = new ArrayList<>();
    for (int r : isr) {
      Follower f = followers.get(r);
      if (r != self && f != null && f.logEndOffset() != leaderEndOffset
          && nowMs - f.lastCaughtUpMs() > lagMaxMs) {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether follower {@code id}, not in the ISR, may join it now. */
  public boolean mayJoinIsr(int id, long highWatermark, long leaderEpochStartOffset) {
    Follower f = followers.get(id);
    return f != null && f.logEndOffset() >= highWatermark
        && f.logEndOffset() >= leaderEpochStartOffset;
  }

  public Map<Integer, Follower> followers() {
    return Map.copyOf(followers);
  }
}
