package io.rill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output file of a process that is started again and again: stdout and stderr of every run,
 * appended, each run opening with a line {@code === run N of LABEL at INSTANT ===}, so that a
 * test can look at the current run alone and a failure message can show the end of all of it.
 *
 * <p>Invariants: {@code runOffset} is the length of the file just after the current run's marker,
 * so everything before it belongs to earlier runs (or to whatever the file held before this
 * object first wrote to it); {@code runs} counts the markers this object wrote. One thread starts
 * runs; any thread may read (the fields are volatile, a read sees the file up to its size then).
 */
public final class RunLog {
  private final Path file;
  private volatile long runOffset;
  private volatile int runs;

  public RunLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** How many runs were started, 0 before the first. */
  public int runs() {
    return runs;
  }

  /**
   * Appends the marker of run {@code runs() + 1} of {@code label} (creating the file) and makes
   * what follows it the current run. The caller then sends the process's output to the file.
   */
  void startRun(String label) throws IOException {
    int run = runs + 1;
    Files.writeString(file, "=== run " + run + " of " + label + " at " + Instant.now() + " ===\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    runOffset = Files.size(file);
    runs = run;
  }

  /** All output of every run so far. */
  public String all() {
    return read(0);
  }

  /** The output of the current (or last) run only, without its marker. */
  public String currentRun() {
    return read(runOffset);
  }

  /** The last {@code lines} lines of output (all runs). */
  public String tail(int lines) {
    return String.join("\n", tailLines(all(), lines));
  }

  /** The last {@code lines} lines of the current run's output. */
  public String currentRunTail(int lines) {
    return String.join("\n", tailLines(currentRun(), lines));
  }

  /** The first line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findInRun(Pattern pattern) {
    for (String line : currentRun().split("\n")) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Optional.of(m.toMatchResult());
      }
    }
    return Optional.empty();
  }

  /** The last line of the current run's output that contains a match of {@code pattern}. */
  public Optional<MatchResult> findLastInRun(Pattern pattern) {
    String[] lines = currentRun().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      Matcher m = pattern.matcher(lines[i]);
      if (m.find()) {
        return Optional.of(m.toMatchResult());
      }
    }
    return Optional.empty();
  }

  /** The lines of the current run's output that contain {@code text}. */
  public List<String> runLinesContaining(String text) {
    return currentRun().lines().filter(l -> l.contains(text)).toList();
  }

  private static List<String> tailLines(String text, int lines) {
    String[] all = text.split("\n");
    return Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length);
  }

  private String read(long offset) {
    if (!Files.exists(file)) {
      return "";
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (offset >= size) {
        return "";
      }
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - offset));
      ch.position(offset);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read to the size seen above; later output waits for the next call
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
