package io.rill.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One history line to and from JSON; reading a whole {@code history.jsonl}. */
public final class HistoryCodec {
  private HistoryCodec() {}

  public static String toLine(Op op) {
    ObjectNode n = Json.object();
    n.put("index", op.index());
    n.put("time", op.timeNanos());
    if (isClientNumber(op.process())) {
      n.put("process", Long.parseLong(op.process()));
    } else {
      n.put("process", op.process());
    }
    n.put("type", op.type().json());
    n.put("f", op.f());
    n.set("value", op.value());
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write operation " + op.index(), e);
    }
  }

  /** Parses one line; {@code lineNumber} (1-based) is for the error message only. */
  public static Op fromLine(String line, long lineNumber) {
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      return new Op(required(n, "index", lineNumber).asLong(),
          required(n, "time", lineNumber).asLong(),
          required(n, "process", lineNumber).asText(),
          OpType.fromJson(required(n, "type", lineNumber).asText()),
          required(n, "f", lineNumber).asText(), n.get("value"));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("history line " + lineNumber + " is not an operation: "
          + e.getMessage(), e);
    }
  }

  /** Every operation of a JSON Lines file, blank lines skipped, in file order. */
  public static List<Op> read(Path file) {
    List<Op> ops = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (!line.isBlank()) {
          ops.add(fromLine(line, number));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history " + file, e);
    }
    return ops;
  }

  private static JsonNode required(JsonNode n, String field, long lineNumber) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("line " + lineNumber + " has no \"" + field + "\"");
    }
    return v;
  }

  private static boolean isClientNumber(String process) {
    return !process.isEmpty() && process.length() < 19
        && process.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
