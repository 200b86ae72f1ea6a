package org.vcpusim.scenarios.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vcpusim.scenarios.result.Decimals;
import org.vcpusim.scenarios.result.Violation;

/**
 * How both report formats name a violation and which violations they show in full.
 *
 * <p><b>Caveats:</b> a variant with thousands of violations (a broken ABI under a long run) would
 * drown the report, so only the first {@link #SHOWN} are shown with excerpts; the rest are counted
 * by kind, and {@code result.json} has them all.
 */
final class ViolationText {
  /** Violations shown in full per variant: enough to see every pattern a run produces. */
  static final int SHOWN = 50;

  /** Picoseconds per microsecond. */
  private static final double PS_PER_US = 1e6;

  /** Decimals of a violation's time in µs: nanosecond resolution. */
  private static final int US_DECIMALS = 3;

  private ViolationText() {}

  /** {@code kind at T µs on cpu C, task T: message} (plain text). */
  static String headline(Violation v) {
    StringBuilder s = new StringBuilder();
    s.append(v.kind()).append(" at ").append(Decimals.fixed(v.tick() / PS_PER_US, US_DECIMALS))
        .append(" µs");
    s.append(v.cpu() >= 0 ? " on cpu " + v.cpu() : " (end of run)");
    if (v.task() >= 0) {
      s.append(", task ").append(v.task());
    }
    return s.append(": ").append(v.message()).toString();
  }

  /** The violations shown in full. */
  static List<Violation> shown(List<Violation> all) {
    return all.subList(0, Math.min(SHOWN, all.size()));
  }

  /** The violations not shown, counted by kind (sorted); empty when all are shown. */
  static Map<String, Integer> hiddenByKind(List<Violation> all) {
    Map<String, Integer> out = new TreeMap<>();
    for (Violation v : all.subList(Math.min(SHOWN, all.size()), all.size())) {
      out.merge(v.kind(), 1, Integer::sum);
    }
    return out;
  }

  /** The verdict word of a variant: {@code correct} or how it failed against the expectation. */
  static String verdict(ReportModel.VerdictLine l) {
    boolean clean = l.variant().violations().isEmpty();
    return switch (l.observed()) {
      case PASS -> (clean ? "correct" : "passed (violations of non-failing checks)")
          + (l.asExpected() ? "" : " — but the scenario expects it to fail");
      case FAIL -> "failed " + (l.asExpected() ? "as expected" : "— NOT expected");
    };
  }
}
