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
 * The short tier of bin/chaos: 3 real Rill nodes, the official client, kill and pause faults for
 * 40 s. Rule: under process crashes and freezes, no acknowledged write is lost, duplicated or
 * misplaced, and consumers read in order (every anomaly class of the checker is zero).
 */
class ChaosRunIT {
  @Test
  void killAndPauseLeaveAValidHistory(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("rill.chaos.seed", System.nanoTime() & 0xffffffL);
    System.out.println("ChaosRunIT seed " + seed + " (-Drill.chaos.seed=" + seed + " replays"
        + " the same choices)");
    RunOptions options = new RunOptions(3, Duration.ofSeconds(40),
        List.of(FaultKind.KILL, FaultKind.PAUSE), 100, 4, 4, seed, dir.resolve("report"),
        Duration.ofSeconds(60), System.getProperty("java.class.path"));
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
