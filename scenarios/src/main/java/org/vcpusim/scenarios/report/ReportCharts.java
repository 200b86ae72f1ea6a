package org.vcpusim.scenarios.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.vcpusim.scenarios.result.CycleStack;
import org.vcpusim.scenarios.result.Decimals;
import org.vcpusim.scenarios.result.VariantResult;

/**
 * The report's charts, drawn by JFreeChart into JFreeSVG and returned as inline {@code <svg>}
 * elements, byte-identical across runs: fixed sizes (height grows only with the number of
 * variants), fonts by logical name ({@value #FONT}, which every JDK maps to an installed face and
 * the SVG names as {@code sans-serif}), explicit colours, no tooltips, URLs or gradients, a fixed
 * {@code defsKeyPrefix} per chart (JFreeSVG's default is {@code System.nanoTime()}, which would
 * give every run different clip-path ids) and coordinates written with {@value #SVG_DECIMALS}
 * fixed decimals.
 *
 * <p>Charts: the cycle stack per op (stacked horizontal bars, one per variant, idle left out so
 * that the busy categories stay visible when CPUs mostly sleep; the table has idle), the footprint
 * (KiB of per-id regions touched) and the rseq aborts by cause.
 *
 * <p><b>Caveats:</b> text is measured with the host's fonts, so bytes can differ between hosts
 * with different font sets (never between runs on one host). Needs a headless-capable AWT.
 */
final class ReportCharts {
  /** The font family of every chart text. */
  static final String FONT = Font.SANS_SERIF;

  /** Chart width in pixels: fits a 1000-pixel report column. */
  static final int WIDTH = 900;

  /** Height of the title, legend and axis around the bars. */
  private static final int FRAME_HEIGHT = 150;

  /** Height per variant bar: room for a two-line category label. */
  private static final int BAR_HEIGHT = 42;

  /** Decimals of SVG coordinates: a hundredth of a pixel is below what a screen shows. */
  static final int SVG_DECIMALS = 2;

  /**
   * Colours of the cycle-stack categories in {@link CycleStack#KEYS} order (fast path green,
   * aborts red, slow path orange, kernel blues and purples, idle grey): the Tableau-10 palette,
   * distinguishable with the common colour-vision deficiencies.
   */
  private static final Color[] STACK_COLOURS = {
    new Color(0x59a14f), new Color(0xe15759), new Color(0xf28e2b), new Color(0x4e79a7),
    new Color(0x76b7b2), new Color(0xb07aa1), new Color(0x9c755f), new Color(0xbab0ac),
  };

  /** Colours of abort causes and single-series bars, in cause order. */
  private static final Color[] SERIES_COLOURS = {
    new Color(0x4e79a7), new Color(0xe15759), new Color(0xf28e2b), new Color(0x76b7b2),
    new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
  };

  /** Cycle-stack categories the chart shows: all but the last ({@code idle}). */
  static final int CHARTED_STACK_CATEGORIES = CycleStack.KEYS.size() - 1;

  private ReportCharts() {}

  /** The stacked cycles-per-op chart; {@code id} becomes the svg id and the defs prefix. */
  static String cycleStack(ReportModel model, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (VariantResult v : model.variants()) {
      double[] perOp = ReportModel.stackPerOp(v);
      for (int k = 0; k < CHARTED_STACK_CATEGORIES; k++) {
        data.addValue(finite(perOp[k]), CycleStack.KEYS.get(k), v.name());
      }
    }
    JFreeChart chart = ChartFactory.createStackedBarChart("Cycles per op by category", null,
        "cycles per op (all CPUs' cycles / ops; idle in the table)", data,
        PlotOrientation.HORIZONTAL, true, false, false);
    return render(chart, List.of(STACK_COLOURS), model.variants().size(), id);
  }

  /** The footprint chart (KiB of per-id regions touched per variant). */
  static String footprint(ReportModel model, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (VariantResult v : model.variants()) {
      data.addValue((double) v.footprintBytes() / ReportNumbers.KIB, "footprint", v.name());
    }
    JFreeChart chart = ChartFactory.createBarChart("Per-id memory touched", null,
        "KiB (per-id regions touched x region size)", data, PlotOrientation.HORIZONTAL, false,
        false, false);
    return render(chart, List.of(SERIES_COLOURS), model.variants().size(), id);
  }

  /**
   * The rseq aborts chart (stacked by cause per variant), over the causes some variant counted;
   * the report leaves it out when there are none ({@link ReportModel#abortCausesSeen}).
   */
  static String aborts(ReportModel model, String id) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (VariantResult v : model.variants()) {
      for (String cause : model.abortCausesSeen()) {
        data.addValue(v.rseqAborts().getOrDefault(cause, 0L), cause, v.name());
      }
    }
    JFreeChart chart = ChartFactory.createStackedBarChart("rseq aborts by cause", null,
        "aborted critical sections", data, PlotOrientation.HORIZONTAL, true, false, false);
    return render(chart, List.of(SERIES_COLOURS), model.variants().size(), id);
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static String render(JFreeChart chart, List<? extends Paint> colours, int bars,
      String id) {
    theme().apply(chart);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setTextAntiAlias(true);
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setFont(new Font(FONT, Font.BOLD, 15));
    }
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xcccccc));
    plot.setRangeGridlineStroke(new BasicStroke(0.5f));
    plot.setOutlineVisible(false);
    // Axis labels through the default locale's NumberFormat would spell 1,000 as 1.000 in de-DE.
    DecimalFormat axisFormat = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(
        Locale.ROOT));
    ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(axisFormat);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setMaximumBarWidth(0.6);
    for (int i = 0; i < plot.getDataset().getRowCount(); i++) {
      renderer.setSeriesPaint(i, colours.get(i % colours.size()));
    }
    int height = FRAME_HEIGHT + BAR_HEIGHT * Math.max(1, bars);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
    g.setDefsKeyPrefix(id + "-");
    g.setGeomDoubleConverter(d -> Decimals.fixedOr(d, SVG_DECIMALS, "0"));
    g.setTransformDoubleConverter(d -> Decimals.fixedOr(d, SVG_DECIMALS + 2, "0"));
    chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, height));
    return g.getSVGElement(id);
  }

  private static StandardChartTheme theme() {
    StandardChartTheme t = new StandardChartTheme("vcpusim-report");
    t.setExtraLargeFont(new Font(FONT, Font.BOLD, 15));
    t.setLargeFont(new Font(FONT, Font.BOLD, 13));
    t.setRegularFont(new Font(FONT, Font.PLAIN, 12));
    t.setSmallFont(new Font(FONT, Font.PLAIN, 11));
    t.setChartBackgroundPaint(Color.WHITE);
    t.setPlotBackgroundPaint(Color.WHITE);
    t.setLegendBackgroundPaint(Color.WHITE);
    t.setBarPainter(new StandardBarPainter());
    t.setShadowVisible(false);
    return t;
  }
}
