package org.vcpusim.scenarios.report;

import java.util.Map;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;

/**
 * {@code report.html}: the design-review report as one self-contained HTML5 file — the CSS in a
 * {@code <style>} element, the charts as inline {@code <svg>} ({@link ReportCharts}), no script,
 * no external reference of any kind, so it opens offline and can be mailed or attached to a
 * review. Same sections as {@link MarkdownReport}, plus the cycle-stack, footprint and abort
 * charts. Deterministic: a pure function of the {@link RunResult} (and the host's fonts, see
 * {@link ReportCharts}).
 */
public final class HtmlReport {
  /** The report's CSS: readable on screen and in a headless-browser screenshot. */
  private static final String STYLE = """
      body { font-family: sans-serif; margin: 2em auto; max-width: 1000px; color: #222;
             line-height: 1.45; padding: 0 1em; }
      h1 { font-size: 1.6em; border-bottom: 2px solid #4e79a7; padding-bottom: .2em; }
      h2 { font-size: 1.25em; margin-top: 1.8em; color: #2b4a6f; }
      code, pre { font-family: monospace; font-size: .92em; }
      pre { background: #f5f5f5; border: 1px solid #ddd; padding: .6em .8em; overflow-x: auto; }
      table { border-collapse: collapse; font-size: .9em; }
      th, td { border: 1px solid #ccc; padding: .25em .6em; }
      th { background: #eef2f7; text-align: left; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
      td.field { font-family: monospace; }
      .pass { color: #1f7a1f; font-weight: bold; }
      .fail { color: #b00020; font-weight: bold; }
      .unexpected { background: #fde8e8; }
      ul.violations { margin-top: .2em; }
      figure { margin: 1em 0; }
      """;

  private HtmlReport() {}

  /** The report document. */
  public static String render(RunResult result) {
    return render(new ReportModel(result));
  }

  static String render(ReportModel m) {
    RunResult r = m.result();
    StringBuilder s = new StringBuilder(65536);
    s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>vcpusim report: ").append(esc(r.scenario())).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    s.append("<h1>vcpusim report: ").append(esc(r.scenario())).append("</h1>\n");
    if (!r.echo().description().isBlank()) {
      s.append("<p>").append(esc(r.echo().description().strip())).append("</p>\n");
    }
    s.append("<p>Scenario <code>").append(esc(r.echo().source())).append("</code>, seed ")
        .append(r.seed()).append(", ").append(r.variants().size()).append(" variant")
        .append(r.variants().size() == 1 ? "" : "s").append(".</p>\n");

    s.append("<h2 id=\"verdicts\">Verdicts</h2>\n<ul>\n");
    for (ReportModel.VerdictLine l : m.verdicts()) {
      VariantResult v = l.variant();
      String cls = l.observed().spelling().equals("pass") ? "pass" : "fail";
      s.append("<li").append(l.asExpected() ? "" : " class=\"unexpected\"").append("><code>")
          .append(esc(v.name())).append("</code> (").append(esc(v.abi())).append(", ")
          .append(esc(v.cidAllocator())).append(", ").append(esc(v.idUpdate()))
          .append("): <span class=\"").append(cls).append("\">")
          .append(esc(ViolationText.verdict(l))).append("</span>");
      if (!v.violations().isEmpty()) {
        s.append("\n<ul class=\"violations\">\n");
        for (Violation x : ViolationText.shown(v.violations())) {
          s.append("<li>").append(esc(ViolationText.headline(x)));
          if (!x.excerpt().isEmpty()) {
            s.append("\n<pre>").append(esc(String.join("\n", x.excerpt()))).append("</pre>");
          }
          s.append("</li>\n");
        }
        for (Map.Entry<String, Integer> e :
            ViolationText.hiddenByKind(v.violations()).entrySet()) {
          s.append("<li>and ").append(e.getValue()).append(" more ").append(esc(e.getKey()))
              .append(" (all in result.json)</li>\n");
        }
        s.append("</ul>\n");
      }
      s.append("</li>\n");
    }
    s.append("</ul>\n");

    s.append("<h2 id=\"meaning\">What the numbers mean for the ABI</h2>\n<ul>\n");
    for (String w : AbiReading.sentences(m)) {
      s.append("<li>").append(codeSpans(esc(w))).append("</li>\n");
    }
    s.append("</ul>\n");

    s.append("<h2 id=\"charts\">Charts</h2>\n");
    figure(s, ReportCharts.cycleStack(m, "chart-cycles"),
        "Where each variant's cycles go, per op (cycle_stack / ops).");
    figure(s, ReportCharts.footprint(m, "chart-footprint"),
        "Per-id memory each variant touched (footprint_bytes).");
    if (m.abortCausesSeen().isEmpty()) {
      s.append("<p>No variant aborted an rseq critical section, so there is no abort chart.</p>\n");
    } else {
      figure(s, ReportCharts.aborts(m, "chart-aborts"),
          "Aborted rseq critical sections by cause (rseq_aborts).");
    }

    s.append("<h2 id=\"table\">Side by side</h2>\n<table>\n<tr><th>field</th>");
    for (VariantResult v : r.variants()) {
      s.append("<th><code>").append(esc(v.name())).append("</code></th>");
    }
    s.append("</tr>\n");
    for (ReportModel.Row row : m.table()) {
      s.append("<tr><td class=\"field\">").append(esc(row.field())).append("</td>");
      for (String c : row.cells()) {
        s.append("<td class=\"num\">").append(esc(c)).append("</td>");
      }
      s.append("</tr>\n");
    }
    s.append("</table>\n");

    s.append("<h2 id=\"configuration\">Configuration</h2>\n<pre>").append(esc(r.echo().text()))
        .append("</pre>\n</body>\n</html>\n");
    return s.toString();
  }

  private static void figure(StringBuilder s, String svg, String caption) {
    s.append("<figure>\n").append(svg).append("\n<figcaption>").append(esc(caption))
        .append("</figcaption>\n</figure>\n");
  }

  /** HTML-escapes text for element content and attribute values. */
  static String esc(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Turns {@code `name`} spans of already-escaped text into {@code <code>} elements. */
  static String codeSpans(String escaped) {
    StringBuilder b = new StringBuilder(escaped.length() + 32);
    boolean open = false;
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '`') {
        b.append(open ? "</code>" : "<code>");
        open = !open;
      } else {
        b.append(c);
      }
    }
    if (open) {
      b.append("</code>");
    }
    return b.toString();
  }
}
