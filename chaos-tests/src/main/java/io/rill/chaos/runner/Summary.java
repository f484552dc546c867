package io.rill.chaos.runner;

import io.rill.chaos.checker.CheckResult;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The one line a run or a check ends with. */
public final class Summary {
  private Summary() {}

  /** {@code run} names the run: "rill seed 7", "kafka unsafe seed 3". */
  public static String line(CheckResult r, String run, double stallS, Path reportDir) {
    String anomalies = r.counts().entrySet().stream().filter(e -> e.getValue() > 0)
        .map(e -> e.getKey().name + " " + e.getValue()).collect(Collectors.joining(", "));
    return String.format("chaos: %s | %s | ops ok %d info %d fail %d | acked %d | "
            + "faults %d | longest stall %.1f s | anomalies: %s | report %s",
        r.valid() ? "VALID" : "INVALID", run, r.ok(), r.info(), r.fail(), r.acked(),
        r.faults(), stallS, anomalies.isEmpty() ? "none" : anomalies, reportDir);
  }
}
