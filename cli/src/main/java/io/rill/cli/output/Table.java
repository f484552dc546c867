package io.rill.cli.output;

import java.util.List;

/** Renders rows as left-aligned columns separated by two spaces, like kafka-topics.sh. */
public final class Table {
  private Table() {}

  public static String render(List<String> headers, List<List<String>> rows) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(headers, width, sb);
    for (List<String> r : rows) {
      line(r, width, sb);
    }
    return sb.toString();
  }

  private static void line(List<String> cells, int[] width, StringBuilder sb) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(width[i] - cells.get(i).length() + 2));
      }
    }
    sb.append(line).append('\n');
  }
}
