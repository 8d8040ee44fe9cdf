package io.uploadstream.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The comparison as one PNG of six bar charts (big file, small files, mixed, scale-out,
 * head-of-line, idle latency): bars are medians, labels give median and the min–max range over the
 * alternations.
 */
final class Chart {
  private static final int PANEL_WIDTH = 760;
  private static final int PANEL_HEIGHT = 430;
  private static final int HEADER = 70;

  private Chart() {}

  static void write(Report report, Path file) throws IOException {
    Map<String, Series> byKey =
        report.series().stream()
            .collect(Collectors.toMap(s -> key(s.caseName(), s.contender()), Function.identity()));
    List<JFreeChart> panels =
        List.of(
            panel(
                "Big file: "
                    + sizeLabel(report.plan().bigFileBytes())
                    + ", 8 MiB parts, 4 in flight",
                "MB/s",
                byKey,
                BigFileCase.NAME,
                Map.of(
                    BigFileCase.OURS, "upload-stream (unsigned)",
                    BigFileCase.SDK, "S3TransferManager",
                    BigFileCase.OURS_SIGNED, "upload-stream (signed)",
                    BigFileCase.OURS_APACHE4, "upload-stream (Apache4)"),
                report),
            panel(
                "Small files: " + report.plan().smallFiles() + " x 64 KiB",
                "files/s",
                byKey,
                SmallFilesCase.NAME,
                Map.of(
                    SmallFilesCase.PIPELINE, "pipeline (Kafka + processor)",
                    SmallFilesCase.RAW, "raw PutObject"),
                report),
            panel(
                "Mixed: big + small files, 1 processor",
                "MB/s",
                byKey,
                MixedCase.NAME,
                Map.of(
                    MixedCase.PIPELINE, "pipeline", MixedCase.DIRECT, "MultipartUploader direct"),
                report),
            panel(
                "Scale-out: +" + report.plan().scaleOutLatency().toMillis() + " ms per S3 request",
                "files/s",
                byKey,
                ScaleOutCase.NAME,
                Map.of(
                    ScaleOutCase.contender(1), "1 instance",
                    ScaleOutCase.contender(2), "2 instances",
                    ScaleOutCase.contender(3), "3 instances"),
                report),
            panel(
                "Head-of-line: small files beside a "
                    + sizeLabel(report.plan().holBigFileBytes())
                    + " upload",
                "ms",
                byKey,
                HeadOfLineCase.NAME,
                Map.of(
                    HeadOfLineCase.IDLE_P50, "p50 idle",
                    HeadOfLineCase.IDLE_P99, "p99 idle",
                    HeadOfLineCase.IDLE_MAX, "max idle",
                    HeadOfLineCase.BUSY_P50, "p50 beside big",
                    HeadOfLineCase.BUSY_P99, "p99 beside big",
                    HeadOfLineCase.BUSY_MAX, "max beside big",
                    HeadOfLineCase.DIRECT_P50, "p50 big, no pipeline",
                    HeadOfLineCase.DIRECT_P99, "p99 big, no pipeline"),
                report),
            panel(
                "Idle: one 64 KiB request at a time, publish -> committed result",
                "ms",
                byKey,
                IdleLatencyCase.NAME,
                Map.of(IdleLatencyCase.P50, "p50", IdleLatencyCase.P99, "p99"),
                report));
    BufferedImage image =
        new BufferedImage(
            2 * PANEL_WIDTH,
            HEADER + (panels.size() + 1) / 2 * PANEL_HEIGHT,
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(header(report), 16, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    List<String> ratios = ratios(report);
    int half = (ratios.size() + 1) / 2;
    g.drawString(String.join("    ", ratios.subList(0, half)), 16, 42);
    g.drawString(String.join("    ", ratios.subList(half, ratios.size())), 16, 60);
    for (int i = 0; i < panels.size(); i++) {
      int x = (i % 2) * PANEL_WIDTH;
      int y = HEADER + (i / 2) * PANEL_HEIGHT;
      panels.get(i).draw(g, new Rectangle2D.Double(x, y, PANEL_WIDTH, PANEL_HEIGHT));
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static JFreeChart panel(
      String title,
      String unit,
      Map<String, Series> byKey,
      String caseName,
      Map<String, String> labels,
      Report report) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Map<String, Series> shown = new java.util.LinkedHashMap<>();
    report.series().stream()
        .filter(s -> s.caseName().equals(caseName) && labels.containsKey(s.contender()))
        .forEach(
            s -> {
              String label = labels.get(s.contender());
              shown.put(label, byKey.get(key(caseName, s.contender())));
              data.addValue(s.median(), unit, label);
            });
    JFreeChart chart =
        ChartFactory.createBarChart(
            null, null, unit + " (median)", data, PlotOrientation.VERTICAL, false, false, false);
    chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(new Color(248, 248, 248));
    plot.setRangeGridlinePaint(Color.GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setSeriesPaint(0, new Color(60, 110, 180));
    renderer.setMaximumBarWidth(0.18);
    renderer.setDefaultItemLabelGenerator(new RangeLabels(shown));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    plot.getRangeAxis().setUpperMargin(0.2);
    plot.getDomainAxis().setMaximumCategoryLabelLines(3);
    if (data.getColumnCount() == 0) {
      chart.addSubtitle(new TextTitle("(not measured in this run)"));
    }
    return chart;
  }

  private static String header(Report report) {
    return "upload-stream benchmark, "
        + report.started()
        + " ("
        + report.plan().name()
        + ", "
        + report.plan().iterations()
        + " alternations; "
        + report.load().get(0)
        + ")";
  }

  private static List<String> ratios(Report report) {
    return report.ratios().stream()
        .filter(r -> !Double.isNaN(r.value()))
        .map(r -> r.name() + " " + Report.number(r.value(), 2) + " (" + r.verdict() + ")")
        .toList();
  }

  private static String sizeLabel(long bytes) {
    return bytes >= 1024 * Plan.MIB
        ? bytes / (1024 * Plan.MIB) + " GiB"
        : bytes / Plan.MIB + " MiB";
  }

  private static String key(String caseName, String contender) {
    return caseName + "\u0000" + contender;
  }

  /** "median (min–max)" above each bar. */
  private static final class RangeLabels extends StandardCategoryItemLabelGenerator {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Series> byLabel;

    RangeLabels(Map<String, Series> byLabel) {
      this.byLabel = byLabel;
    }

    @Override
    public String generateLabel(CategoryDataset dataset, int row, int column) {
      Series s = byLabel.get((String) dataset.getColumnKey(column));
      if (s == null) {
        return "";
      }
      return String.format("%.0f (%.0f–%.0f)", s.median(), s.min(), s.max());
    }
  }
}
