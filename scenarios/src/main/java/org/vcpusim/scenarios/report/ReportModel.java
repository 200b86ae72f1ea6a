package org.vcpusim.scenarios.report;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.vcpusim.scenarios.result.CycleStack;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.scenario.Verdict;

/**
 * What both report formats show, computed once from a {@link RunResult}: the side-by-side table
 * (one row per {@code result.json} field, one column per variant, cells already spelled by {@link
 * ReportNumbers}), each variant's cycle stack per op, the abort causes seen, and the verdicts.
 * The Markdown and HTML renderers and the charts only lay this out, so they cannot disagree.
 *
 * <p><b>Caveats:</b> immutable once built; cheap to build.
 */
final class ReportModel {
  /** One table row: the {@code result.json} field (dotted for nested fields) and a cell per variant. */
  record Row(String field, List<String> cells) {
    Row {
      cells = List.copyOf(cells);
    }
  }

  /** A variant's verdict: what the scenario expects and what the checks say. */
  record VerdictLine(VariantResult variant, Verdict expected, Verdict observed) {
    boolean asExpected() {
      return expected == observed;
    }
  }

  private final RunResult result;
  private final SortedSet<String> abortCauses = new TreeSet<>();
  private final List<Row> table = new ArrayList<>();
  private final List<VerdictLine> verdicts = new ArrayList<>();

  ReportModel(RunResult result) {
    this.result = result;
    for (VariantResult v : result.variants()) {
      abortCauses.addAll(v.rseqAborts().keySet());
      verdicts.add(new VerdictLine(v, v.notes().expect(), v.verdict(result.echo())));
    }
    buildTable();
  }

  RunResult result() {
    return result;
  }

  List<VariantResult> variants() {
    return result.variants();
  }

  /** Every abort cause any variant reports (with zeros), sorted: the table's rows. */
  SortedSet<String> abortCauses() {
    return abortCauses;
  }

  /** The abort causes some variant actually counted, sorted: the abort chart's series. */
  SortedSet<String> abortCausesSeen() {
    SortedSet<String> seen = new TreeSet<>();
    for (VariantResult v : variants()) {
      v.rseqAborts().forEach((cause, n) -> {
        if (n > 0) {
          seen.add(cause);
        }
      });
    }
    return seen;
  }

  List<Row> table() {
    return table;
  }

  List<VerdictLine> verdicts() {
    return verdicts;
  }

  /** The cell of {@code field} for variant {@code index} (tests read the table through this). */
  String cell(String field, int index) {
    for (Row r : table) {
      if (r.field().equals(field)) {
        return r.cells().get(index);
      }
    }
    throw new IllegalArgumentException("no table row " + field);
  }

  /** {@code v}'s cycle stack divided by its ops, in {@link CycleStack#KEYS} order (NaN: no ops). */
  static double[] stackPerOp(VariantResult v) {
    long[] c = v.cycleStack().toArray();
    double[] out = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      out[i] = ReportNumbers.per(c[i], v.ops());
    }
    return out;
  }

  /** The table row name of a cycle-stack category per op. */
  static String stackPerOpField(String key) {
    return "cycle_stack." + key + " per op";
  }

  private void buildTable() {
    List<VariantResult> vs = result.variants();
    row("abi", vs.stream().map(VariantResult::abi).toList());
    row("cid_allocator", vs.stream().map(VariantResult::cidAllocator).toList());
    row("id_update", vs.stream().map(VariantResult::idUpdate).toList());
    row("ops", vs.stream().map(v -> ReportNumbers.count(v.ops())).toList());
    row("cycles_per_op", vs.stream().map(v -> ReportNumbers.perOp(v.cyclesPerOp())).toList());
    row("cycles_per_op_p50",
        vs.stream().map(v -> ReportNumbers.perOp(v.cyclesPerOpP50())).toList());
    row("cycles_per_op_p99",
        vs.stream().map(v -> ReportNumbers.perOp(v.cyclesPerOpP99())).toList());
    row("instructions_per_op",
        vs.stream().map(v -> ReportNumbers.perOp(v.instructionsPerOp())).toList());
    row("loads_per_op", vs.stream().map(v -> ReportNumbers.perOp(v.loadsPerOp())).toList());
    row("rseq_aborts (all)", vs.stream().map(v -> ReportNumbers.count(v.totalAborts())).toList());
    for (String cause : abortCauses) {
      row("rseq_aborts." + cause,
          vs.stream().map(v -> ReportNumbers.count(v.rseqAborts().getOrDefault(cause, 0L)))
              .toList());
    }
    row("cid_changes", vs.stream().map(v -> ReportNumbers.count(v.cidChanges())).toList());
    row("max_cid", vs.stream().map(v -> Integer.toString(v.maxCid())).toList());
    row("cid high-water", vs.stream().map(v -> Integer.toString(v.notes().cidHighWater()))
        .toList());
    row("gs_writes", vs.stream().map(v -> ReportNumbers.count(v.gsWrites())).toList());
    row("footprint_bytes", vs.stream().map(v -> ReportNumbers.count(v.footprintBytes())).toList());
    for (int i = 0; i < CycleStack.KEYS.size(); i++) {
      int k = i;
      row("cycle_stack." + CycleStack.KEYS.get(k),
          vs.stream().map(v -> ReportNumbers.count(v.cycleStack().toArray()[k])).toList());
    }
    for (int i = 0; i < CycleStack.KEYS.size(); i++) {
      int k = i;
      row(stackPerOpField(CycleStack.KEYS.get(k)),
          vs.stream().map(v -> ReportNumbers.perOp(stackPerOp(v)[k])).toList());
    }
    row("violations", vs.stream().map(v -> ReportNumbers.count(v.violations().size())).toList());
    row("verdict (expected)", verdicts.stream()
        .map(l -> l.observed().spelling() + " (" + l.expected().spelling() + ")").toList());
  }

  private void row(String field, List<String> cells) {
    table.add(new Row(field, cells));
  }
}
