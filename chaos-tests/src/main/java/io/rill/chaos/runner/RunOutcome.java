package io.rill.chaos.runner;

import io.rill.chaos.checker.CheckResult;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a run ended: the exit code {@code bin/chaos} uses (0 valid, 1 anomalies, 2 set-up error, 3
 * the cluster never became ready), the check (absent if it never got that far), the longest gap
 * between two acknowledged sends (the worst stall), and where the report is.
 */
public record RunOutcome(int exitCode, Optional<CheckResult> result, double longestStallS,
    Path reportDir, String message) {
  public static final int VALID = 0;
  public static final int ANOMALIES = 1;
  public static final int SETUP_ERROR = 2;
  public static final int NEVER_READY = 3;
}
