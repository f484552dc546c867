package io.rill.cli;

import io.rill.client.ClientException;

/**
 * The tool's exit codes (issue 6) and how a {@link ClientException} maps to them: the broker
 * refused (1, its Kafka error name and message on stderr) or the cluster could not be reached
 * within the timeout (3). Usage errors (2) are picocli's own.
 */
public final class CliFailure {
  public static final int EXIT_REFUSED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;

  private CliFailure() {}

  public static int exitCode(ClientException e) {
    return e instanceof ClientException.Refused ? EXIT_REFUSED : EXIT_UNREACHABLE;
  }
}
