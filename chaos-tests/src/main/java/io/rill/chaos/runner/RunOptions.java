package io.rill.chaos.runner;

import io.rill.chaos.nemesis.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run's settings, as {@code bin/chaos run} takes them. {@code nodeClassPath} is the class
 * path of Rill node processes (by default the harness's own, which holds broker-core). {@code
 * unsafe} runs the workload with settings known to lose acknowledged writes (producer acks=1
 * without idempotence, the topic with unclean.leader.election.enable=true): the control that
 * shows the checker finds real losses.
 */
public record RunOptions(SystemKind system, int nodes, Duration timeLimit,
    List<FaultKind> faults, double rate, int concurrency, int partitions, long seed,
    Path reportDir, Duration finalReadLimit, String nodeClassPath, boolean unsafe) {
  public RunOptions {
    faults = List.copyOf(faults);
  }

  /** Rill, safe settings: what the tests run. */
  public static RunOptions rill(int nodes, Duration timeLimit, List<FaultKind> faults,
      double rate, int concurrency, int partitions, long seed, Path reportDir) {
    return new RunOptions(SystemKind.RILL, nodes, timeLimit, faults, rate, concurrency,
        partitions, seed, reportDir, Duration.ofSeconds(60),
        System.getProperty("java.class.path"), false);
  }
}
