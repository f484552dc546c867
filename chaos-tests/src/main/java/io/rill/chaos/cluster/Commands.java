package io.rill.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (ip, iptables, kill) and fails loudly with what it said. */
public final class Commands {
  /** Longer than any of these commands takes, even on a loaded 2-core machine. */
  public static final Duration COMMAND_WAIT_MAX = Duration.ofSeconds(30);

  private Commands() {}

  /** Runs {@code command}; returns its output; throws if it fails or hangs. */
  public static String run(List<String> command) {
    Result r = tryRun(command);
    if (r.exitCode() != 0) {
      throw new CommandFailedException(String.join(" ", command) + " exited with "
          + r.exitCode() + ": " + r.output().strip());
    }
    return r.output();
  }

  /** Runs {@code command} and returns its exit code and output, whatever they are. */
  public static Result tryRun(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new CommandFailedException(String.join(" ", command) + " did not finish within "
            + COMMAND_WAIT_MAX);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CommandFailedException("cannot run " + String.join(" ", command) + ": "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted running " + String.join(" ", command));
    }
  }

  /** Exit code and combined output of a finished command. */
  public record Result(int exitCode, String output) {}

  /** A system command failed; the message has the command and what it printed. */
  public static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
      super(message);
    }
  }
}
