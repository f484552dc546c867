package io.rill.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {
  @Test
  void tablesAlignEveryColumnToItsWidestCell() {
    String t = Table.render(List.of("NAME", "PARTITIONS"),
        List.of(List.of("a-very-long-topic", "3"), List.of("b", "12")));
    assertThat(t).isEqualTo("""
        NAME               PARTITIONS
        a-very-long-topic  3
        b                  12
        """);
  }

  @Test
  void headersAreUpperSnakeCaseOfTheJsonNames() {
    assertThat(Output.header("logEndOffset")).isEqualTo("LOG_END_OFFSET");
  }

  @Test
  void jsonEscapesAndKeepsFieldOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", "q\"\\\n\t\u0001");
    m.put("a", List.of(1, 2.5, true));
    m.put("n", null);
    assertThat(Json.write(m))
        .isEqualTo("{\"z\":\"q\\\"\\\\\\n\\t\\u0001\",\"a\":[1,2.5,true],\"n\":null}");
  }

  @Test
  void rowsAreOneJsonDocumentOrATable() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<Map<String, Object>> rows = List.of(Map.of("name", "x", "replicas", List.of(1, 2)));
    new Output(Output.Format.JSON, ps, ps).rows("topics", List.of("name", "replicas"), rows);
    new Output(Output.Format.TABLE, ps, ps).rows("topics", List.of("name", "replicas"), rows);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
        {"topics":[{"name":"x","replicas":[1,2]}]}
        NAME  REPLICAS
        x     1,2
        """.replace("{\"name\":\"x\",\"replicas\":[1,2]}",
            io.rill.cli.output.Json.write(rows.get(0))));
  }
}
