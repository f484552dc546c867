package io.rill.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.LeaderEpochCache;
import io.rill.broker.log.LeaderEpochCache.EpochEndOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded, deterministic simulation of one partition's replication decisions: the real
 * {@link FollowerTracker} (high watermark, ISR shrink and expand) and {@link Divergence}
 * (leader check, truncation point), driven through random interleavings of appends, follower
 * fetches (whole or partial), crashes, restarts, the passing of time and elections by the
 * controller's rules (first live ISR member in replica order; the ISR never empties; no unclean
 * election). Logs and epoch histories are in memory, with {@link LeaderEpochCache}'s semantics.
 *
 * <p>Invariants checked after every step:
 * <ul>
 *   <li>committed records are never lost: every record that was ever below a leader's high
 *       watermark is in the current leader's log, at its offset;
 *   <li>one leader per epoch, and leader epochs only grow;
 *   <li>the leader's high watermark never goes back within its epoch and never passes its log end;
 *   <li>ISR members agree with the leader below the high watermark;
 *   <li>after the faults heal, every replica converges on the leader's log and rejoins the ISR.
 * </ul>
 * Seeds are printed; rerun one with {@code -Drill.seed=N}, search longer with {@code
 * -Drill.sim.runs=N} (20,000 runs pass).
 */
class ReplicationSimulationTest {
  private static final int REPLICAS = 3;
  private static final int RUNS = 300;
  private static final int STEPS = 400;
  private static final long LAG_MAX_MS = 100;

  /** One record: the epoch of the leader that wrote it and a unique id. */
  private record Rec(int epoch, long id) {}

  /** One replica's durable state: its log and epoch history (start offsets per epoch). */
  private static final class Replica {
    final int id;
    final List<Rec> log = new ArrayList<>();
    final List<int[]> epochs = new ArrayList<>(); // {epoch, startOffset}
    boolean alive = true;
    long hw;

    Replica(int id) {
      this.id = id;
    }

    long leo() {
      return log.size();
    }

    void assign(int epoch, long start) {
      if (!epochs.isEmpty() && epochs.get(epochs.size() - 1)[0] >= epoch) {
        return;
      }
      epochs.removeIf(e -> e[1] >= start);
      epochs.add(new int[] {epoch, (int) start});
    }

    /** LeaderEpochCache.endOffsetFor on this history. */
    EpochEndOffset endOffsetFor(int requested) {
      if (epochs.isEmpty() || requested < 0) {
        return new EpochEndOffset(LeaderEpochCache.UNDEFINED_EPOCH,
            LeaderEpochCache.UNDEFINED_EPOCH_OFFSET);
      }
      if (requested < epochs.get(0)[0]) {
        return new EpochEndOffset(requested, epochs.get(0)[1]);
      }
      int last = epochs.size() - 1;
      if (requested >= epochs.get(last)[0]) {
        return new EpochEndOffset(epochs.get(last)[0], leo());
      }
      for (int i = last; i >= 0; i--) {
        if (epochs.get(i)[0] <= requested) {
          return new EpochEndOffset(epochs.get(i)[0], epochs.get(i + 1)[1]);
        }
      }
      throw new IllegalStateException();
    }

    int lastEpoch() {
      return epochs.isEmpty() ? -1 : epochs.get(epochs.size() - 1)[0];
    }

    void truncateTo(long offset) {
      while (log.size() > offset) {
        log.remove(log.size() - 1);
      }
      epochs.removeIf(e -> e[1] >= offset);
      hw = Math.min(hw, leo());
    }
  }

  /** The simulated cluster: replicas, the controller's view, the leader's tracker. */
  private static final class Sim {
    final Random random;
    final List<Replica> replicas = new ArrayList<>();
    final List<Integer> replicaIds = List.of(0, 1, 2);
    List<Integer> isr = new ArrayList<>(replicaIds);
    int leader = 0;
    int leaderEpoch = 0;
    FollowerTracker tracker = new FollowerTracker();
    long now = 0;
    long nextId = 0;
    /** Every record ever committed, by offset. */
    final Map<Long, Rec> committed = new HashMap<>();
    final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    long hwAtEpochStart = 0;

    Sim(long seed) {
      random = new Random(seed);
      for (int i = 0; i < REPLICAS; i++) {
        replicas.add(new Replica(i));
      }
      becomeLeader(0);
    }

    Replica leaderReplica() {
      return leader < 0 ? null : replicas.get(leader);
    }

    void becomeLeader(int id) {
      leader = id;
      Replica r = replicas.get(id);
      r.assign(leaderEpoch, r.leo());
      tracker = new FollowerTracker();
      tracker.reset(replicaIds, isr, id, now);
      assertThat(leaderOfEpoch.putIfAbsent(leaderEpoch, id)).as("second leader of epoch %s",
          leaderEpoch).isNull();
      hwAtEpochStart = r.hw;
      advanceHw();
    }

    void advanceHw() {
      Replica l = leaderReplica();
      long before = l.hw;
      l.hw = tracker.highWatermark(isr, leader, l.leo(), l.hw);
      assertThat(l.hw).as("HW never goes back").isGreaterThanOrEqualTo(before);
      for (long o = 0; o < l.hw; o++) {
        Rec r = l.log.get((int) o);
        Rec was = committed.putIfAbsent(o, r);
        assertThat(was == null || was.equals(r)).as("committed offset %s changed", o).isTrue();
      }
    }

    void step() {
      now += random.nextInt(40);
      int action = random.nextInt(100);
      if (action < 30) {
        append();
      } else if (action < 75) {
        fetch(random.nextInt(REPLICAS));
      } else if (action < 85) {
        isrMaintenance();
      } else if (action < 93) {
        crash(random.nextInt(REPLICAS));
      } else {
        restart(random.nextInt(REPLICAS));
      }
      check();
    }

    void append() {
      Replica l = leaderReplica();
      if (l == null || !l.alive) {
        return;
      }
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        l.assign(leaderEpoch, l.leo());
        l.log.add(new Rec(leaderEpoch, nextId++));
      }
      advanceHw();
    }

    void fetch(int f) {
      Replica l = leaderReplica();
      Replica r = replicas.get(f);
      if (l == null || !l.alive || f == leader || !r.alive) {
        return;
      }
      long fetchOffset = r.leo();
      int lastFetched = r.lastEpoch();
      EpochEndOffset leaderEnd = l.endOffsetFor(lastFetched);
      long earliest = l.epochs.isEmpty() ? l.leo() : l.epochs.get(0)[1];
      Divergence.Answer answer =
          Divergence.leaderCheck(leaderEnd, lastFetched, fetchOffset, 0, earliest);
      switch (answer.verdict()) {
        case DIVERGED -> {
          long target = Divergence.truncationPoint(answer.epoch(), answer.endOffset(),
              r.endOffsetFor(answer.epoch()), r.leo());
          r.truncateTo(target);
          return;
        }
        case OUT_OF_RANGE -> {
          return;
        }
        case READ -> { }
      }
      if (fetchOffset > l.leo()) {
        return; // OFFSET_OUT_OF_RANGE; cannot happen once divergence is resolved
      }
      tracker.onFetch(f, fetchOffset, l.leo(), now);
      advanceHw();
      long upTo = fetchOffset + random.nextInt((int) (l.leo() - fetchOffset) + 1);
      for (long o = fetchOffset; o < upTo; o++) {
        Rec rec = l.log.get((int) o);
        r.assign(rec.epoch(), o);
        r.log.add(rec);
      }
      r.hw = Math.min(l.hw, r.leo());
    }

    void isrMaintenance() {
      Replica l = leaderReplica();
      if (l == null || !l.alive) {
        return;
      }
      List<Integer> out = tracker.outOfSync(isr, leader, l.leo(), now, LAG_MAX_MS);
      if (!out.isEmpty()) {
        isr.removeAll(out);
        advanceHw();
        return;
      }
      for (int r : replicaIds) {
        if (!isr.contains(r) && replicas.get(r).alive
            && tracker.mayJoinIsr(r, l.hw, epochStart(l))) {
          isr.add(r);
          advanceHw();
          return;
        }
      }
    }

    long epochStart(Replica l) {
      for (int[] e : l.epochs) {
        if (e[0] == leaderEpoch) {
          return e[1];
        }
      }
      return l.leo();
    }

    void crash(int id) {
      Replica r = replicas.get(id);
      if (!r.alive) {
        return;
      }
      r.alive = false;
      if (isr.size() > 1) {
        isr.remove(Integer.valueOf(id)); // the controller fences it
      }
      if (leader == id) {
        elect();
      }
    }

    void restart(int id) {
      Replica r = replicas.get(id);
      if (r.alive) {
        return;
      }
      r.alive = true;
      if (leader < 0 && isr.contains(id)) {
        elect();
      }
    }

    /** The controller: the first live ISR member in replica order leads, in a new epoch. */
    void elect() {
      leader = -1;
      for (int r : replicaIds) {
        if (isr.contains(r) && replicas.get(r).alive) {
          leaderEpoch++;
          becomeLeader(r);
          return;
        }
      }
    }

    /**
     * Liveness after the faults: every replica back, then only fetches and ISR maintenance;
     * every replica must end with exactly the leader's log (none stuck, none divergent).
     */
    void healAndConverge() {
      for (int id = 0; id < REPLICAS; id++) {
        restart(id);
      }
      if (leader < 0) {
        elect();
      }
      for (int round = 0; round < 200; round++) {
        now += 10;
        for (int f = 0; f < REPLICAS; f++) {
          fetch(f);
        }
        isrMaintenance();
        check();
      }
      Replica l = leaderReplica();
      assertThat(l).as("a leader after healing").isNotNull();
      for (Replica r : replicas) {
        assertThat(r.log).as("replica %s converged on leader %s's log", r.id, leader)
            .isEqualTo(l.log);
      }
      assertThat(isr).as("every replica back in the ISR").containsExactlyInAnyOrderElementsOf(
          replicaIds);
    }

    void check() {
      Replica l = leaderReplica();
      if (l == null) {
        return;
      }
      for (Map.Entry<Long, Rec> c : committed.entrySet()) {
        assertThat(c.getKey()).as("committed offset %s lost by leader %s (epoch %s)",
            c.getKey(), leader, leaderEpoch).isLessThan(l.leo());
        assertThat(l.log.get(c.getKey().intValue())).as("committed offset %s", c.getKey())
            .isEqualTo(c.getValue());
      }
      assertThat(l.hw).isLessThanOrEqualTo(l.leo()).isGreaterThanOrEqualTo(hwAtEpochStart);
      for (int m : isr) {
        Replica r = replicas.get(m);
        long upTo = Math.min(l.hw, r.leo());
        assertThat(r.log.subList(0, (int) upTo)).as("ISR member %s below the HW", m)
            .isEqualTo(l.log.subList(0, (int) upTo));
      }
    }
  }

  @Test
  void committedRecordsSurviveEveryInterleavingOfAppendsFetchesCrashesAndElections() {
    long base = Long.getLong("rill.seed", new Random().nextLong());
    System.out.println("ReplicationSimulationTest seed " + base);
    long committedTotal = 0;
    int elections = 0;
    int runs = Integer.getInteger("rill.sim.runs", RUNS);
    for (int run = 0; run < runs; run++) {
      long seed = base + run;
      Sim sim = new Sim(seed);
      try {
        for (int i = 0; i < STEPS; i++) {
          sim.step();
        }
        sim.healAndConverge();
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (base " + base + ", run " + run + "): "
            + e.getMessage(), e);
      }
      committedTotal += sim.committed.size();
      elections += sim.leaderEpoch;
    }
    System.out.printf("ReplicationSimulationTest: %d runs x %d steps, %d records committed,"
        + " %d elections%n", runs, STEPS, committedTotal, elections);
    assertThat(committedTotal).as("the simulation commits something").isPositive();
    assertThat(elections).as("the simulation elects new leaders").isPositive();
  }
}
