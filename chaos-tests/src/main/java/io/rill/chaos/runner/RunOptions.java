package io.rill.chaos.runner;

import io.rill.chaos.nemesis.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run's settings, as {@code bin/chaos run} takes them. {@code nodeClassPath} is the class
 * path of the node processes (by default the harness's own, which holds broker-core).
 */
public record RunOptions(int nodes, Duration timeLimit, List<FaultKind> faults, double rate,
    int concurrency, int partitions, long seed, Path reportDir, Duration finalReadLimit,
    String nodeClassPath) {
  public RunOptions {
    faults = List.copyOf(faults);
  }
}
