package org.vcpusim.scenarios.result;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code result.csv}: the scalar figures of {@code result.json}, one row per variant, for
 * spreadsheets and for sweeps that concatenate many runs (DESIGN.md "outputs"). Columns: {@code
 * scenario}, {@code seed}, then the variant fields in {@code result.json} order, the rseq aborts as
 * {@code rseq_aborts.<cause>} (the union of causes, sorted), the eight {@code cycle_stack.<key>}
 * columns and {@code violations} (their count). Numbers as in {@code result.json} ({@link
 * ResultJsonWriter#DECIMALS} decimals, locale-independent, NaN as an empty cell); text is quoted
 * RFC 4180 style when it holds a comma, quote or line break. The {@code host} figures are left
 * out, so the file is as deterministic as {@code result.json} without {@code host}.
 */
public final class ResultCsvWriter {
  private ResultCsvWriter() {}

  /** The CSV text of {@code r}, header first, lines ending in {@code \n}. */
  public static String toCsv(RunResult r) {
    SortedSet<String> causes = new TreeSet<>();
    for (VariantResult v : r.variants()) {
      causes.addAll(v.rseqAborts().keySet());
    }
    List<String> header = new ArrayList<>(List.of("scenario", "seed", "name", "abi",
        "cid_allocator", "id_update", "ops", "cycles_per_op", "cycles_per_op_p50",
        "cycles_per_op_p99", "instructions_per_op", "loads_per_op"));
    causes.forEach(c -> header.add("rseq_aborts." + c));
    header.addAll(List.of("cid_changes", "max_cid", "gs_writes", "footprint_bytes"));
    CycleStack.KEYS.forEach(k -> header.add("cycle_stack." + k));
    header.add("violations");
    StringBuilder s = new StringBuilder();
    line(s, header);
    for (VariantResult v : r.variants()) {
      List<String> row = new ArrayList<>(List.of(r.scenario(), Long.toString(r.seed()), v.name(),
          v.abi(), v.cidAllocator(), v.idUpdate(), Long.toString(v.ops()), num(v.cyclesPerOp()),
          num(v.cyclesPerOpP50()), num(v.cyclesPerOpP99()), num(v.instructionsPerOp()),
          num(v.loadsPerOp())));
      causes.forEach(c -> row.add(Long.toString(v.rseqAborts().getOrDefault(c, 0L))));
      row.addAll(List.of(Long.toString(v.cidChanges()), Integer.toString(v.maxCid()),
          Long.toString(v.gsWrites()), Long.toString(v.footprintBytes())));
      CycleStack.KEYS.forEach(k -> row.add(Long.toString(v.cycleStack().cycles(k))));
      row.add(Integer.toString(v.violations().size()));
      line(s, row);
    }
    return s.toString();
  }

  private static String num(double d) {
    return Decimals.fixedOr(d, ResultJsonWriter.DECIMALS, "");
  }

  private static void line(StringBuilder s, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      String c = cells.get(i);
      if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        s.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        s.append(c);
      }
    }
    s.append('\n');
  }
}
