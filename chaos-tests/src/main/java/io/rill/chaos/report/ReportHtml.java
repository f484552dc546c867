package io.rill.chaos.report;

import io.rill.chaos.checker.Anomaly;
import io.rill.chaos.checker.AnomalyType;
import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.history.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code report.html}: one self-contained page (readable offline: uPlot's script and style are
 * inlined from its webjar) with the verdict, the run's figures, a table per anomaly class with
 * examples, and the latency and throughput plots with fault windows shaded.
 */
public final class ReportHtml {
  /** Examples shown per anomaly class (results.json has them all). */
  static final int EXAMPLES_MAX = 20;
  private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

  private ReportHtml() {}

  /** Writes the page; {@code facts} are extra lines of the summary table (seed, faults, ...). */
  public static void write(Path file, String title, CheckResult result, List<Op> history,
      Map<String, String> facts) {
    String version = uplotVersion();
    String page = resource("io/rill/chaos/report/report.html")
        .replace("{{TITLE}}", escape(title))
        .replace("{{UPLOT_CSS}}", resource(WEBJAR + version + "/dist/uPlot.min.css"))
        .replace("{{BODY}}", body(title, result, facts))
        .replace("{{DATA}}", ChartData.of(history).toString().replace("</", "<\\/"))
        .replace("{{UPLOT_JS}}", resource(WEBJAR + version + "/dist/uPlot.iife.min.js"));
    try {
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String body(String title, CheckResult r, Map<String, String> facts) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Rill chaos run: ").append(escape(title)).append("</h1>\n");
    b.append("<div class=\"verdict ").append(r.valid() ? "valid\">VALID" : "invalid\">INVALID")
        .append("</div>\n<table>\n");
    facts.forEach((k, v) -> row(b, k, v));
    row(b, "operations", "ok " + r.ok() + ", info " + r.info() + ", fail " + r.fail());
    row(b, "acknowledged sends", Long.toString(r.acked()));
    row(b, "faults injected", Long.toString(r.faults()));
    b.append("</table>\n<h2>Anomalies</h2>\n<table><tr><th>class</th><th>found</th>"
        + "<th>allowed (subscribe)</th></tr>\n");
    Map<AnomalyType, Long> allowed = r.allowedCounts();
    r.counts().forEach((t, n) -> b.append("<tr><td>").append(t.name).append("</td><td>")
        .append(n).append("</td><td>").append(allowed.get(t)).append("</td></tr>\n"));
    b.append("</table>\n");
    for (AnomalyType t : AnomalyType.values()) {
      List<Anomaly> of = r.of(t);
      if (of.isEmpty()) {
        continue;
      }
      b.append("<h2>").append(t.name).append(" (").append(of.size()).append(")</h2>\n")
          .append("<table><tr><th>key (partition)</th><th>offsets</th><th>values</th>"
              + "<th>operations</th><th>what was seen</th></tr>\n");
      for (Anomaly a : of.subList(0, Math.min(EXAMPLES_MAX, of.size()))) {
        b.append("<tr><td>").append(a.partition()).append("</td><td>").append(a.offsets())
            .append("</td><td>").append(a.values()).append("</td><td>").append(a.ops())
            .append("</td><td>").append(escape(a.note())).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String key, String value) {
    b.append("<tr><th>").append(escape(key)).append("</th><td>").append(escape(value))
        .append("</td></tr>\n");
  }

  private static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read uPlot's webjar version", e);
    }
    return p.getProperty("version");
  }

  private static String resource(String name) {
    try (InputStream in = open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = ReportHtml.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the class path (the uPlot webjar and "
          + "the report template belong to chaos-tests' runtime class path)");
    }
    return in;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
