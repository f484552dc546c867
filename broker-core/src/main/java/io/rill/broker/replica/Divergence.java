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

  /** The verdict, and for DIVERGED the epoch and end offset the follower truncates by. */
  public record Answer(Verdict verdict, int epoch, long endOffset) {
    static final Answer READ = new Answer(Verdict.READ, -1, -1);
    static final Answer OUT_OF_RANGE = new Answer(Verdict.OUT_OF_RANGE, -1, -1);
  }

  /**
   * The leader's check: {@code leaderEnd} is the leader's answer for the follower's last
   * fetched epoch (the largest epoch at or below it, and where that epoch ends here). The
   * follower diverged when that epoch ends here before its fetch offset, or when the leader
   * knows no epoch that old: then the follower's history after {@code leaderEarliestEpochStart}
   * (where the leader's own epoch history begins) cannot be vouched for, and it truncates there.
   * (A replica that led an epoch without appending anything, then follows a newer leader, is in
   * that case: Kafka answers OFFSET_OUT_OF_RANGE and the follower asks ListOffsets; this answer
   * gets it there in one step.) Below the leader's log start: OFFSET_OUT_OF_RANGE.
   */
  public static Answer leaderCheck(EpochEndOffset leaderEnd, int lastFetchedEpoch,
      long fetchOffset, long leaderLogStart, long leaderEarliestEpochStart) {
    if (lastFetchedEpoch < 0) {
      return Answer.READ;
    }
    if (fetchOffset < leaderLogStart) {
      return Answer.OUT_OF_RANGE;
    }
    if (leaderEnd.epoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
      return new Answer(Verdict.DIVERGED, lastFetchedEpoch,
          Math.max(leaderLogStart, leaderEarliestEpochStart));
    }
    return leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < fetchOffset
        ? new Answer(Verdict.DIVERGED, leaderEnd.epoch(), leaderEnd.endOffset()) : Answer.READ;
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
