package io.rill.chaos.runner;

import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.checker.Checker;
import io.rill.chaos.cluster.Await;
import io.rill.chaos.cluster.ChaosCluster;
import io.rill.chaos.cluster.LoopbackNetwork;
import io.rill.chaos.cluster.NamespaceNetwork;
import io.rill.chaos.cluster.Network;
import io.rill.chaos.cluster.NetworkUnavailableException;
import io.rill.chaos.cluster.NodeSystem;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import io.rill.chaos.nemesis.FaultKind;
import io.rill.chaos.nemesis.Nemesis;
import io.rill.chaos.workload.FinalReads;
import io.rill.chaos.workload.Workload;
import io.rill.chaos.workload.WorkloadConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One run of the suite, end to end: start the cluster (in network namespaces if partitions are
 * asked for), create the topic, run the workload with the nemesis for the time limit, heal, wait
 * for the cluster to be whole again, read everything back, check the history, write the report.
 * Runs on the caller's thread; the workload and nemesis have their own.
 */
public final class ChaosRun {
  public static final String TOPIC = "chaos";
  private static final Duration READY_WAIT_MAX = Duration.ofSeconds(120);
  private static final Duration HEALED_WAIT_MAX = Duration.ofSeconds(90);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final RunOptions options;
  private final PrintStream out;

  public ChaosRun(RunOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public RunOutcome run() {
    if (options.faults().contains(FaultKind.CLOCK)) {
      return setupError("clock faults are not available: libfaketime hangs JDK 17 JVMs and "
          + "Linux has no per-process wall clock (docs/chaos.md, 'Clock'); run without 'clock'");
    }
    if (options.reportDir().toString().contains(",")) {
      return setupError("the report directory " + options.reportDir() + " has a comma in its "
          + "path: the nodes' data directories go under it, and log.dirs is a comma-separated "
          + "list");
    }
    try {
      Files.createDirectories(options.reportDir());
    } catch (IOException e) {
      return setupError("cannot create the report directory " + options.reportDir() + ": " + e);
    }
    Network network;
    try {
      network = options.faults().contains(FaultKind.PARTITION)
          ? NamespaceNetwork.create(options.nodes()) : new LoopbackNetwork(options.nodes());
    } catch (NetworkUnavailableException e) {
      return setupError(e.getMessage());
    }
    NodeSystem system;
    try {
      system = options.system().nodes(options.nodeClassPath());
    } catch (RuntimeException e) {
      network.close();
      return setupError("cannot prepare " + options.system().json() + " nodes: "
          + e.getMessage());
    }
    out.printf("chaos: %s, seed %d, %d nodes, %d s, faults %s, rate %.0f/s, concurrency %d, "
            + "report %s%n", systemLabel(), options.seed(), options.nodes(),
        options.timeLimit().toSeconds(), options.faults(), options.rate(),
        options.concurrency(), options.reportDir());
    try (ChaosCluster cluster = new ChaosCluster(options.reportDir().resolve("cluster"),
        options.nodes(), network, system, Map.of())) {
      short rf = (short) Math.min(3, options.nodes());
      try {
        cluster.start();
        cluster.awaitReady(READY_WAIT_MAX);
        TopicSetup.create(cluster, TOPIC, options.partitions(), rf,
            options.unsafe() ? TopicSetup.UNSAFE : TopicSetup.SAFE, READY_WAIT_MAX);
      } catch (RuntimeException e) {
        String message = "the cluster never became ready: " + e.getMessage();
        out.println("chaos: " + message);
        return new RunOutcome(RunOutcome.NEVER_READY, Optional.empty(), 0, options.reportDir(),
            message);
      }
      return runWorkload(cluster, rf);
    }
  }

  /** "rill", or "kafka (unsafe: acks=1, unclean leader election)". */
  private String systemLabel() {
    return options.system().json()
        + (options.unsafe() ? " (unsafe: acks=1, unclean leader election)" : "");
  }

  private RunOutcome runWorkload(ChaosCluster cluster, short rf) {
    Path historyFile = options.reportDir().resolve("history.jsonl");
    WorkloadConfig config = new WorkloadConfig(cluster.bootstrap(), TOPIC, options.partitions(),
        options.rate(), options.concurrency(), options.seed(), options.unsafe());
    List<Op> ops;
    String healNote = "";
    List<Integer> unread;
    try (History history = new History(historyFile)) {
      Workload workload = new Workload(config, history);
      Nemesis nemesis = options.faults().isEmpty() ? null
          : new Nemesis(cluster, history, options.faults(), TOPIC, options.seed());
      workload.start();
      if (nemesis != null) {
        nemesis.start();
      }
      progressUntilTimeLimit(history, nemesis);
      try {
        if (nemesis != null) {
          nemesis.stopAndHeal();
        }
      } finally {
        workload.stop();
      }
      try {
        for (var n : cluster.nodes()) {
          cluster.awaitStarted(n.id(), HEALED_WAIT_MAX);
        }
        TopicSetup.awaitFullyReplicated(cluster, TOPIC, rf, HEALED_WAIT_MAX);
      } catch (Await.TimeoutException e) {
        healNote = "the cluster was not whole again after healing: "
            + e.getMessage().lines().findFirst().orElse("");
        out.println("chaos: warning: " + healNote);
      }
      out.println("chaos: healed; reading every partition back");
      unread = FinalReads.run(config, history, highestAcked(history.snapshot()),
          workload.processes(), options.finalReadLimit());
      ops = history.snapshot();
    }
    CheckResult result = Checker.check(ops);
    double stall = Stalls.longestAckGapS(ops);
    writeResults(result, ops, stall, unread, healNote);
    int exit = result.valid() ? RunOutcome.VALID : RunOutcome.ANOMALIES;
    String summary = Summary.line(result, options.system().json()
        + (options.unsafe() ? " unsafe" : "") + " seed " + options.seed(), stall,
        options.reportDir());
    out.println(summary);
    return new RunOutcome(exit, Optional.of(result), stall, options.reportDir(), summary);
  }

  private void progressUntilTimeLimit(History history, Nemesis nemesis) {
    long start = System.nanoTime();
    long end = start + options.timeLimit().toNanos();
    long nextLine = start + PROGRESS_EVERY.toNanos();
    while (System.nanoTime() < end) {
      long wake = Math.min(end, nextLine);
      java.util.concurrent.locks.LockSupport.parkNanos(wake - System.nanoTime()); // timing
      if (System.nanoTime() >= nextLine) {
        out.printf("chaos: [%3d/%d s] ok %d info %d fail %d | fault: %s%n",
            (System.nanoTime() - start) / 1_000_000_000L, options.timeLimit().toSeconds(),
            history.completed(OpType.OK), history.completed(OpType.INFO),
            history.completed(OpType.FAIL), nemesis == null ? "none" : nemesis.current());
        nextLine += PROGRESS_EVERY.toNanos();
      }
    }
  }

  private void writeResults(CheckResult result, List<Op> ops, double stall,
      List<Integer> unread, String healNote) {
    var json = io.rill.chaos.report.ResultsJson.toJson(result, ops,
        OptionalLong.of(options.seed()));
    json.put("longest-stall-s", stall);
    json.put("system", options.system().json());
    json.put("unsafe", options.unsafe());
    unread.forEach(json.putArray("final-reads-incomplete")::add);
    if (!healNote.isEmpty()) {
      json.put("heal", healNote);
    }
    io.rill.chaos.report.ResultsJson.write(options.reportDir().resolve("results.json"), json);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("system", systemLabel());
    facts.put("seed", Long.toString(options.seed()));
    facts.put("nodes", Integer.toString(options.nodes()));
    facts.put("time limit", options.timeLimit().toSeconds() + " s");
    facts.put("faults", options.faults().toString());
    facts.put("rate / concurrency", options.rate() + " ops/s / " + options.concurrency());
    facts.put("longest stall between acknowledged sends", String.format("%.2f s", stall));
    if (!unread.isEmpty()) {
      facts.put("final reads incomplete for partitions", unread.toString());
    }
    io.rill.chaos.report.ReportHtml.write(options.reportDir().resolve("report.html"),
        options.system().json() + ", seed " + options.seed(), result, ops, facts);
  }

  /** Partition → the highest offset an ok send got there. */
  public static Map<Integer, Long> highestAcked(List<Op> ops) {
    Map<Integer, Long> highest = new TreeMap<>();
    for (Op op : ops) {
      if (!op.isNemesis() && op.type() == OpType.OK && op.f().equals(Functions.SEND)) {
        highest.merge(op.value().path("partition").asInt(), op.value().path("offset").asLong(),
            Math::max);
      }
    }
    return highest;
  }

  private RunOutcome setupError(String message) {
    out.println("chaos: " + message);
    return new RunOutcome(RunOutcome.SETUP_ERROR, Optional.empty(), 0, options.reportDir(),
        message);
  }
}
