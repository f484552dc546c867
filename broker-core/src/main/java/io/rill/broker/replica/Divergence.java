package io.rill.broker.replica;

import io.rill.broker.log.LeaderEpochCache;
import io.rill.broker.log.LeaderEpochCache.EpochEndOffset;

/**
 * Where a follower's log parts from its leader's, as pure functions of the two sides' epoch
 * histories (KIP-101, KIP-279, KIP-595). Truncation is always by leader epoch, never by the
 * high watermark alone: a follower's high watermark lags the leader's, and truncating to it
 * loses acknowledged records (KAFKA-1211's class of bug).
 */
public final class Divergence {
  private Divergence() {}

  /** The leader's verdict on a follower's fetch position. */
  public enum Verdict { READ, DIVERGED, OUT_OF_RANGE }

  /**
   * The leader's check: {@code leaderEnd} is the leader's answer for the follower's last
   * fetched epoch (the largest epoch at or below it, and where that epoch ends here). The
   * follower diverged when the leader has no such epoch or that epoch ends before the fetch
   * offset; then it gets {@code leaderEnd} back and no records.
   */
  public static Verdict leaderCheck(EpochEndOffset leaderEnd, int lastFetchedEpoch,
      long fetchOffset, long leaderLogStart) {
    if (lastFetchedEpoch < 0) {
      return Verdict.READ;
    }
    if (leaderEnd.epoch() == LeaderEpochCache.UNDEFINED_EPOCH || fetchOffset < leaderLogStart) {
      return Verdict.OUT_OF_RANGE;
    }
    return leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < fetchOffset
        ? Verdict.DIVERGED : Verdict.READ;
  }

  /**
   * The follower's truncation point, given the leader's {@code (leaderEpoch, leaderEndOffset)}
   * and {@code mine}, the follower's own end of its largest epoch at or below {@code
   * leaderEpoch}: the smaller end when both have that epoch; else the end of the follower's
   * own earlier epoch (the next fetch asks again, KIP-279); never beyond its log end.
   */
  public static long truncationPoint(int leaderEpoch, long leaderEndOffset, EpochEndOffset mine,
      long logEndOffset) {
    long target;
    if (mine.epoch() == leaderEpoch) {
      target = Math.min(leaderEndOffset, mine.endOffset());
    } else if (mine.epoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
      target = Math.min(leaderEndOffset, logEndOffset);
    } else {
      target = mine.endOffset();
    }
    return Math.min(target, logEndOffset);
  }
}
