package io.rill.chaos.cli;

import io.rill.chaos.checker.Anomaly;
import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.checker.Checker;
import io.rill.chaos.history.HistoryCodec;
import io.rill.chaos.history.Op;
import io.rill.chaos.nemesis.FaultKind;
import io.rill.chaos.runner.ChaosRun;
import io.rill.chaos.runner.RunOptions;
import io.rill.chaos.runner.RunOutcome;
import io.rill.chaos.runner.Stalls;
import io.rill.chaos.runner.Summary;
import io.rill.chaos.runner.SystemKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/chaos}: {@code run} a fault-injection test, or {@code check} a saved history. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = "Jepsen-style fault injection for Rill: run a workload while a nemesis breaks "
        + "the cluster, then check the history.%nExit codes: 0 valid, 1 anomalies found, "
        + "2 usage or set-up error, 3 the cluster never became ready.",
    subcommands = {ChaosMain.Run.class, ChaosMain.Check.class})
public final class ChaosMain {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ChaosMain());
    cli.setExitCodeExceptionMapper(e -> RunOutcome.SETUP_ERROR);
    System.exit(cli.execute(args));
  }

  /** {@code bin/chaos run}. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Start a Rill (or Kafka) cluster, run the workload under faults, check, "
          + "report.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Nodes (default 3).")
    int nodes;
    @Option(names = "--time-limit", defaultValue = "60",
        description = "Seconds of workload under faults (default 60).")
    int timeLimitS;
    @Option(names = "--faults", split = ",", defaultValue = "kill,pause",
        description = "Any of kill,pause,partition,disk,clock (default kill,pause); "
            + "'none' for no faults.")
    List<String> faults;
    @Option(names = "--rate", defaultValue = "200", description = "Operations/s (default 200).")
    double rate;
    @Option(names = "--concurrency", defaultValue = "6", description = "Clients (default 6).")
    int concurrency;
    @Option(names = "--partitions", defaultValue = "4", description = "Partitions (default 4).")
    int partitions;
    @Option(names = "--seed", description = "Seed of every random choice (default: random).")
    Long seed;
    @Option(names = "--report", description = "Report directory (default "
        + "chaos-reports/<time>-<system>-seed<N>).")
    Path report;
    @Option(names = "--final-time-limit", defaultValue = "60",
        description = "Seconds the final reads may take (default 60).")
    int finalTimeLimitS;
    @Option(names = "--system", defaultValue = "rill",
        description = "rill or kafka (Apache Kafka, fetched from Maven Central; default rill).")
    String system;
    @Option(names = "--unsafe", description = "Settings known to lose acknowledged writes: "
        + "producer acks=1 without idempotence, topic unclean.leader.election.enable=true.")
    boolean unsafe;

    @Override
    public Integer call() {
      SystemKind target;
      try {
        target = SystemKind.parse(system);
      } catch (IllegalArgumentException e) {
        System.out.println("chaos: " + e.getMessage());
        return RunOutcome.SETUP_ERROR;
      }
      if (nodes < 1 || timeLimitS < 1 || concurrency < 1 || partitions < 1 || !(rate > 0)) {
        System.out.println("chaos: --nodes, --time-limit, --concurrency, --partitions and "
            + "--rate must be positive");
        return RunOutcome.SETUP_ERROR;
      }
      List<FaultKind> kinds = new ArrayList<>();
      try {
        for (String f : faults) {
          if (!f.equals("none")) {
            kinds.add(FaultKind.parse(f));
          }
        }
      } catch (IllegalArgumentException e) {
        System.out.println("chaos: " + e.getMessage());
        return RunOutcome.SETUP_ERROR;
      }
      long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 40);
      Path dir = report != null ? report : Path.of("chaos-reports", LocalDateTime.now()
          .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + target.json()
          + "-seed" + s);
      RunOptions options = new RunOptions(target, nodes, Duration.ofSeconds(timeLimitS), kinds,
          rate, concurrency, partitions, s, dir.toAbsolutePath(),
          Duration.ofSeconds(finalTimeLimitS), System.getProperty("java.class.path"), unsafe);
      return new ChaosRun(options, System.out).run().exitCode();
    }
  }

  /** {@code bin/chaos check HISTORY.jsonl}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Re-check a saved history; prints each anomaly by class; exits as run does.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "HISTORY.jsonl", description = "A history written by run.")
    Path history;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(history)) {
        System.out.println("chaos: no such history file: " + history);
        return RunOutcome.SETUP_ERROR;
      }
      List<Op> ops;
      CheckResult r;
      try {
        ops = HistoryCodec.read(history);
        r = Checker.check(ops);
      } catch (IllegalArgumentException e) {
        System.out.println("chaos: " + e.getMessage());
        return RunOutcome.SETUP_ERROR;
      }
      for (Anomaly a : r.anomalies()) {
        System.out.printf("%s key %d offsets %s values %s ops %s: %s%n", a.type().name,
            a.partition(), a.offsets(), a.values(), a.ops(), a.note());
      }
      System.out.println(Summary.line(r, "seed: see results.json", Stalls.longestAckGapS(ops),
          history.getParent()));
      return r.valid() ? RunOutcome.VALID : RunOutcome.ANOMALIES;
    }
  }
}
