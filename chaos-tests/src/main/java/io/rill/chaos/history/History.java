package io.rill.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The history being recorded: every operation of every process, numbered in the order they
 * happened, kept in memory for the checker and appended to {@code history.jsonl} as it goes (so
 * a run that dies still leaves what it did). Thread-safe: workers and the nemesis record from
 * their own threads; one lock orders the lines, so {@code index} and {@code time} both grow.
 */
public final class History implements AutoCloseable {
  private final long startNanos = System.nanoTime();
  private final List<Op> ops = new ArrayList<>();
  private final BufferedWriter out;
  /** Client completions by type (ok, info, fail), for the progress line; guarded by this. */
  private final long[] completions = new long[OpType.values().length];

  /** Records in memory and into {@code file} (created or truncated). */
  public History(Path file) {
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create history " + file, e);
    }
  }

  /** Opens an operation of {@code process}. */
  public Op invoke(String process, String f, JsonNode value) {
    return append(process, OpType.INVOKE, f, value);
  }

  /** Closes {@code invoke} with {@code type} (ok, info or fail) and the value now known. */
  public Op complete(Op invoke, OpType type, JsonNode value) {
    if (type == OpType.INVOKE) {
      throw new IllegalArgumentException("a completion is ok, info or fail, not invoke");
    }
    return append(invoke.process(), type, invoke.f(), value);
  }

  /** Nanoseconds since the history began (the clock of {@code time}). */
  public long nowNanos() {
    return System.nanoTime() - startNanos;
  }

  /** A copy of everything recorded so far. */
  public synchronized List<Op> snapshot() {
    return List.copyOf(ops);
  }

  /** How many client operations have completed with {@code type} so far. */
  public synchronized long completed(OpType type) {
    return completions[type.ordinal()];
  }

  public synchronized Optional<Op> last() {
    return ops.isEmpty() ? Optional.empty() : Optional.of(ops.get(ops.size() - 1));
  }

  private synchronized Op append(String process, OpType type, String f, JsonNode value) {
    Op op = new Op(ops.size(), nowNanos(), process, type, f, value);
    ops.add(op);
    if (!op.isNemesis()) {
      completions[type.ordinal()]++;
    }
    try {
      out.write(HistoryCodec.toLine(op));
      out.write('\n');
      out.flush(); // a run that dies mid-way still leaves every line it recorded
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the history", e);
    }
    return op;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the history", e);
    }
  }
}
