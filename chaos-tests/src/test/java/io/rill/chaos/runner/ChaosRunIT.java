package io.rill.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.chaos.nemesis.FaultKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short tier of bin/chaos (issue 13: 2 runs × 45 s): 3 real Rill nodes, the official client,
 * first kill and pause faults, then network partitions (nodes in network namespaces; needs root,
 * ip and iptables, which .ci/run installs: without them the run fails, saying why). Rule: under
 * process crashes, freezes and cut links, no acknowledged write is lost, duplicated or misplaced,
 * and consumers read in order (every anomaly class of the checker is zero).
 * {@code -Drill.chaos.seed=N} replays a seed.
 */
class ChaosRunIT {
  private static final Duration TIME_LIMIT = Duration.ofSeconds(45);

  @Test
  void killAndPauseLeaveAValidHistory(@TempDir Path dir) throws Exception {
    assertValidRun(dir, List.of(FaultKind.KILL, FaultKind.PAUSE));
  }

  @Test
  void partitionsLeaveAValidHistory(@TempDir Path dir) throws Exception {
    assertValidRun(dir, List.of(FaultKind.PARTITION));
  }

  private static void assertValidRun(Path dir, List<FaultKind> faults) throws Exception {
    long seed = Long.getLong("rill.chaos.seed", System.nanoTime() & 0xffffffL);
    System.out.println("ChaosRunIT " + faults + " seed " + seed + " (-Drill.chaos.seed=" + seed
        + " replays the same choices)");
    RunOptions options = RunOptions.rill(3, TIME_LIMIT, faults, 100, 4, 4, seed,
        dir.resolve("report"));
    RunOutcome outcome = new ChaosRun(options, System.out).run();
    assertThat(outcome.result()).as(outcome.message()).isPresent();
    var result = outcome.result().get();
    assertThat(result.anomalies()).as(outcome.message()).isEmpty();
    assertThat(outcome.exitCode()).isEqualTo(RunOutcome.VALID);
    assertThat(result.acked()).isPositive();
    assertThat(result.faults()).isPositive();
    assertThat(dir.resolve("report/history.jsonl")).isNotEmptyFile();
    assertThat(Files.readString(dir.resolve("report/results.json"))).contains("\"valid\" : true");
    assertThat(Files.readString(dir.resolve("report/report.html"))).contains("uPlot")
        .contains("VALID");
  }
}
