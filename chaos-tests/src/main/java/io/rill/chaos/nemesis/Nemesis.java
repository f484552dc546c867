package io.rill.chaos.nemesis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.cluster.ChaosCluster;
import io.rill.chaos.cluster.ChaosNode;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The nemesis: on its own thread ({@code nemesis}), from a few seconds in, it starts a fault of
 * one of the enabled kinds, holds it, stops it, rests, and again, with seeded random times (a
 * fault every {@link #CYCLE_MEAN_S} s on average, Jepsen's stagger). Every start and stop is a
 * nemesis operation in the history ({@code start-kill} with {@code {"node":2, "target":
 * "quorum-leader"}}, ...). {@link #stopAndHeal} ends the loop and undoes whatever is active, so
 * the final phase sees every node running and every link whole.
 */
public final class Nemesis {
  /** First fault after FIRST_MIN_S..FIRST_MAX_S seconds (Bufstream's harness starts at 5 s). */
  static final double FIRST_MIN_S = 3;
  static final double FIRST_MAX_S = 7;
  /** A fault is held HOLD_MIN_S..HOLD_MAX_S, then REST_MIN_S..REST_MAX_S pass before the next. */
  static final double HOLD_MIN_S = 3;
  static final double HOLD_MAX_S = 9;
  static final double REST_MIN_S = 3;
  static final double REST_MAX_S = 9;
  static final double CYCLE_MEAN_S = (HOLD_MIN_S + HOLD_MAX_S + REST_MIN_S + REST_MAX_S) / 2;
  private static final Duration JOIN_WAIT_MAX = Duration.ofSeconds(60);

  private final ChaosCluster cluster;
  private final History history;
  private final List<FaultKind> kinds;
  private final String topic;
  private final Random random;
  private final Targets targets;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread = new Thread(this::run, "nemesis");
  private volatile String current = "none";
  /** The fault in force, or null; guarded by this. */
  private Active active;
  private RuntimeException failure;

  public Nemesis(ChaosCluster cluster, History history, List<FaultKind> kinds, String topic,
      long seed) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no fault kinds");
    }
    this.cluster = cluster;
    this.history = history;
    this.kinds = List.copyOf(kinds);
    this.topic = topic;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.targets = new Targets(cluster, topic, random);
  }

  public void start() {
    thread.setDaemon(true);
    thread.start();
  }

  /** What is in force now, for the progress line ("none", "kill node 2", ...). */
  public String current() {
    return current;
  }

  /** Ends the fault loop, undoes the active fault; throws what the nemesis thread hit. */
  public void stopAndHeal() {
    stopped.countDown();
    try {
      thread.join(JOIN_WAIT_MAX.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping the nemesis", e);
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("the nemesis thread did not stop within " + JOIN_WAIT_MAX);
    }
    synchronized (this) {
      if (active != null) {
        stop(active);
      }
    }
    for (ChaosNode n : cluster.nodes()) { // belt and braces: whatever happened, all run again
      if (n.isPaused()) {
        n.resume();
      } else if (!n.isAlive()) {
        n.start();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void run() {
    try {
      if (rest(FIRST_MIN_S, FIRST_MAX_S)) {
        return;
      }
      while (true) {
        FaultKind kind = kinds.get(random.nextInt(kinds.size()));
        synchronized (this) {
          active = begin(kind);
        }
        if (rest(HOLD_MIN_S, HOLD_MAX_S)) {
          return; // stopAndHeal undoes it
        }
        synchronized (this) {
          stop(active);
        }
        if (rest(REST_MIN_S, REST_MAX_S)) {
          return;
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Waits a random time in [min, max] s; true if asked to stop meanwhile. */
  private boolean rest(double minS, double maxS) {
    long nanos = (long) ((minS + random.nextDouble() * (maxS - minS)) * 1e9);
    try {
      return stopped.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private Active begin(FaultKind kind) {
    List<Integer> ids = cluster.nodes().stream().map(ChaosNode::id).toList();
    ObjectNode value = Json.object();
    Op invoke = history.invoke(Op.NEMESIS, "start-" + kind.json(), value);
    Active a;
    switch (kind) {
      case KILL, PAUSE, DISK -> {
        Targets.Target t = targets.choose(ids);
        value.put("node", t.node()).put("target", t.how());
        ChaosNode n = cluster.node(t.node());
        if (kind == FaultKind.PAUSE) {
          n.pause();
        } else {
          n.kill();
        }
        if (kind == FaultKind.DISK) {
          value.put("damage", DiskFaults.damage(n.dataDir(), topic, random));
        }
        a = new Active(kind, List.of(t.node()), kind.json() + " node " + t.node());
      }
      case PARTITION -> {
        Grudges.Grudge g = switch (random.nextInt(3)) {
          case 0 -> Grudges.isolate(targets.choose(ids).node(), ids);
          case 1 -> Grudges.majority(ids, random);
          default -> Grudges.ring(ids, random);
        };
        value.put("grudge", g.name());
        g.cuts().forEach(c -> value.withArray("cuts").add(Json.MAPPER.valueToTree(c)));
        cluster.network().cut(g.cuts());
        a = new Active(kind, List.of(), "partition " + g.name());
      }
      default -> throw new IllegalArgumentException("the nemesis cannot make " + kind
          + " faults");
    }
    history.complete(invoke, OpType.INFO, value);
    current = a.description();
    return a;
  }

  private void stop(Active a) {
    ObjectNode value = Json.object();
    a.nodes().forEach(value.putArray("nodes")::add);
    Op invoke = history.invoke(Op.NEMESIS, "stop-" + a.kind().json(), value);
    switch (a.kind()) {
      case PAUSE -> a.nodes().forEach(id -> cluster.node(id).resume());
      case KILL, DISK -> a.nodes().forEach(id -> cluster.node(id).start());
      case PARTITION -> cluster.network().heal();
      default -> throw new IllegalStateException("no way to stop " + a.kind());
    }
    history.complete(invoke, OpType.INFO, value);
    active = null;
    current = "none";
  }

  /** A fault in force: its kind, the nodes it holds down, and a line for the progress. */
  private record Active(FaultKind kind, List<Integer> nodes, String description) {
    Active {
      nodes = new ArrayList<>(nodes);
    }
  }
}
