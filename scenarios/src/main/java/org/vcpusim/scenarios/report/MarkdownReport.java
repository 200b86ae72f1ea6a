package org.vcpusim.scenarios.report;

import java.util.List;
import java.util.Map;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;

/**
 * {@code report.md}: the design-review report as GitHub-flavoured Markdown, in the order a
 * reviewer reads it — verdicts (each violation with its schedule excerpt), what the numbers mean
 * for the ABI, the side-by-side table (every {@code result.json} field, plus the cycle stack per
 * op that the HTML charts draw), and the scenario echoed. Charts are in {@code report.html}; the
 * table holds their data. Deterministic: a pure function of the {@link RunResult}.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** The report text. */
  public static String render(RunResult result) {
    return render(new ReportModel(result));
  }

  static String render(ReportModel m) {
    RunResult r = m.result();
    StringBuilder s = new StringBuilder(8192);
    s.append("# vcpusim report: ").append(r.scenario()).append("\n\n");
    if (!r.echo().description().isBlank()) {
      s.append(r.echo().description().strip()).append("\n\n");
    }
    s.append("Scenario `").append(r.echo().source()).append("`, seed ").append(r.seed())
        .append(", ").append(r.variants().size()).append(" variant")
        .append(r.variants().size() == 1 ? "" : "s").append(". Charts: `report.html`.\n\n");

    s.append("## Verdicts\n\n");
    for (ReportModel.VerdictLine l : m.verdicts()) {
      VariantResult v = l.variant();
      s.append("- `").append(v.name()).append("` (").append(v.abi()).append(", ")
          .append(v.cidAllocator()).append(", ").append(v.idUpdate()).append("): **")
          .append(ViolationText.verdict(l)).append("**\n");
      for (Violation x : ViolationText.shown(v.violations())) {
        s.append("  - ").append(ViolationText.headline(x)).append('\n');
        if (!x.excerpt().isEmpty()) {
          String fence = fence(String.join("\n", x.excerpt()));
          s.append("\n    ").append(fence).append("text\n");
          for (String line : x.excerpt()) {
            s.append("    ").append(line).append('\n');
          }
          s.append("    ").append(fence).append("\n\n");
        }
      }
      for (Map.Entry<String, Integer> e : ViolationText.hiddenByKind(v.violations()).entrySet()) {
        s.append("  - and ").append(e.getValue()).append(" more ").append(e.getKey())
            .append(" (all in result.json)\n");
      }
    }
    s.append('\n');

    List<String> words = AbiReading.sentences(m);
    s.append("## What the numbers mean for the ABI\n\n");
    for (String w : words) {
      s.append("- ").append(w).append('\n');
    }
    s.append('\n');

    s.append("## Side by side\n\n| field |");
    for (VariantResult v : r.variants()) {
      s.append(" `").append(v.name()).append("` |");
    }
    s.append("\n|---|");
    s.append("---:|".repeat(r.variants().size()));
    s.append('\n');
    for (ReportModel.Row row : m.table()) {
      s.append("| ").append(row.field()).append(" |");
      for (String c : row.cells()) {
        s.append(' ').append(c).append(" |");
      }
      s.append('\n');
    }
    s.append('\n');

    String fence = fence(r.echo().text());
    s.append("## Configuration\n\n").append(fence).append("yaml\n").append(r.echo().text());
    if (!r.echo().text().endsWith("\n")) {
      s.append('\n');
    }
    s.append(fence).append('\n');
    return s.toString();
  }

  /** A code fence longer than any run of backticks in {@code text} (CommonMark §4.5). */
  static String fence(String text) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }
}
