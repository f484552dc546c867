import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the headline chart of compare-kafka.sh: one panel per target figure, a Rill bar and a Kafka bar
 * with their medians, and the Rill/Kafka ratio against the target. Plain AWT so the benchmark needs
 * nothing beyond the JDK.
 *
 * <p>Input: summarize.py's chart.tsv (label, unit, better, rill, kafka, target). Usage: Chart in.tsv out.png
 */
public final class Chart {
  private static final int PANEL_W = 300;
  private static final int PANEL_H = 260;
  private static final int COLUMNS = 4;
  private static final int TITLE_H = 50;
  private static final Color RILL = new Color(0x2a9d8f);
  private static final Color KAFKA = new Color(0x6c757d);

  public static void main(String[] args) throws Exception {
    List<String[]> rows = Files.readAllLines(Path.of(args[0])).stream()
        .filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
    int gridRows = (rows.size() + COLUMNS - 1) / COLUMNS;
    BufferedImage image = new BufferedImage(PANEL_W * COLUMNS, TITLE_H + PANEL_H * gridRows,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("Rill vs Apache Kafka 4.1.0 — medians per figure (same machine, alternating runs)", 16, 30);
    drawLegend(g, image.getWidth() - 170, 22);
    for (int i = 0; i < rows.size(); i++) {
      drawPanel(g, rows.get(i), (i % COLUMNS) * PANEL_W, TITLE_H + (i / COLUMNS) * PANEL_H);
    }
    g.dispose();
    ImageIO.write(image, "png", new File(args[1]));
  }

  private static void drawLegend(Graphics2D g, int x, int y) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(RILL);
    g.fillRect(x, y - 11, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString("Rill", x + 16, y);
    g.setColor(KAFKA);
    g.fillRect(x + 60, y - 11, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString("Kafka", x + 76, y);
  }

  private static void drawPanel(Graphics2D g, String[] row, int x0, int y0) {
    String label = row[0];
    String unit = row[1];
    String better = row[2];
    double rill = Double.parseDouble(row[3]);
    double kafka = Double.parseDouble(row[4]);
    double target = Double.parseDouble(row[5]);
    double ratio = rill / kafka;
    boolean met = better.equals("higher") ? ratio >= target : ratio <= target;
    g.setColor(new Color(0xdddddd));
    g.drawRect(x0 + 4, y0 + 4, PANEL_W - 8, PANEL_H - 8);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    drawWrapped(g, label + " (" + unit + ", " + better + " is better)", x0 + 12, y0 + 22, PANEL_W - 24);
    int baseY = y0 + PANEL_H - 50;
    int maxBarH = PANEL_H - 120;
    double max = Math.max(rill, kafka);
    double[] values = {rill, kafka};
    Color[] colors = {RILL, KAFKA};
    String[] names = {"Rill", "Kafka"};
    for (int b = 0; b < 2; b++) {
      int h = max <= 0 ? 0 : (int) Math.round(values[b] / max * maxBarH);
      int bx = x0 + 60 + b * 110;
      g.setColor(colors[b]);
      g.fillRect(bx, baseY - h, 70, h);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(format(values[b]), bx, baseY - h - 4);
      g.drawString(names[b], bx + 18, baseY + 15);
    }
    g.setStroke(new BasicStroke(1));
    g.drawLine(x0 + 40, baseY, x0 + PANEL_W - 40, baseY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    g.setColor(met ? new Color(0x1b7f3b) : new Color(0xb3261e));
    String sign = better.equals("higher") ? "≥" : "≤";
    g.drawString(String.format(Locale.ROOT, "Rill/Kafka %.2f (target %s %.2f) %s", ratio, sign, target,
        met ? "met" : "MISSED"), x0 + 12, y0 + PANEL_H - 16);
  }

  private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (g.getFontMetrics().stringWidth(line + " " + word) > width && line.length() > 0) {
        g.drawString(line.toString(), x, y);
        y += 15;
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    g.drawString(line.toString(), x, y);
  }

  private static String format(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.3g", v);
  }
}
