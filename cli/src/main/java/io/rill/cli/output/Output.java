package io.rill.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a command's result goes, and in which form: aligned tables for people (the default) or
 * exactly one JSON document per command for scripts. Column keys double as JSON field names, so
 * both forms carry the same, stable names.
 */
public final class Output {
  public enum Format { TABLE, JSON }

  private final Format format;
  private final PrintStream out;
  private final PrintStream err;

  public Output(Format format, PrintStream out, PrintStream err) {
    this.format = format;
    this.out = out;
    this.err = err;
  }

  public Format format() {
    return format;
  }

  public boolean json() {
    return format == Format.JSON;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** Prints one JSON document. */
  public void document(Object doc) {
    out.println(Json.write(doc));
  }

  /** A table of rows, with one column per key, headed by the key in upper snake case. */
  public void table(List<String> keys, List<? extends Map<String, ?>> rows) {
    List<String> headers = new ArrayList<>();
    for (String k : keys) {
      headers.add(header(k));
    }
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, ?> r : rows) {
      List<String> line = new ArrayList<>();
      for (String k : keys) {
        line.add(cell(r.get(k)));
      }
      cells.add(line);
    }
    out.print(Table.render(headers, cells));
  }

  /** Either a JSON document {@code {docKey: rows}} or the table of those rows. */
  public void rows(String docKey, List<String> keys, List<? extends Map<String, ?>> rows) {
    if (json()) {
      document(Map.of(docKey, rows));
    } else {
      table(keys, rows);
    }
  }

  static String header(String key) {
    StringBuilder sb = new StringBuilder();
    for (char c : key.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('_');
      }
      sb.append(Character.toUpperCase(c));
    }
    return sb.toString();
  }

  static String cell(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder();
      for (Object o : l) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(o);
      }
      return sb.toString();
    }
    return String.valueOf(v);
  }
}
