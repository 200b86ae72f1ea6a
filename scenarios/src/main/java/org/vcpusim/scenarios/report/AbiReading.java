package org.vcpusim.scenarios.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;

/**
 * The report's "what the numbers mean for the ABI" section: plain sentences (variant names in
 * backticks), each built only from figures of the result and only when the variants it needs are
 * present and ran ops. Figures are spelled by {@link ReportNumbers}, so a number quoted here reads
 * exactly as the table cell it comes from; derived figures (differences, per-op costs, shares) are
 * computed from the unrounded values.
 *
 * <p>What it says:
 * <ol>
 *   <li>Verdicts: how many variants ended as their scenario expects, and which did not.
 *   <li>For each {@code gs-mm_cid} variant against each other variant with the same cid allocator
 *       and id-update policy: cycles and loads per op saved (or added). The loads are all loads of
 *       an op; the id load {@code gs-mm_cid} removes is one of them (reference userspace.md §6).
 *   <li>What GS population costs per op: {@code gs_writes / ops} × the cost of one write with
 *       WRGSBASE and with WRMSR ({@code VariantNotes}), what the run charged to {@code gs_write},
 *       and the share of the cycles saved that the writes take back.
 *   <li>Footprint: each CPU-indexed variant ({@code rseq-cpu}, {@code rseq-cpu-cached}) against the
 *       first mm_cid-indexed one ({@code rseq-mm_cid}, {@code gs-mm_cid}).
 *   <li>rseq aborts per variant, by cause.
 * </ol>
 */
final class AbiReading {
  static final String GS = "gs-mm_cid";
  static final String RSEQ_MM_CID = "rseq-mm_cid";
  static final String RSEQ_CPU = "rseq-cpu";
  static final String RSEQ_CPU_CACHED = "rseq-cpu-cached";

  /** ABIs whose per-id data is indexed by the CPU number. */
  static final Set<String> CPU_INDEXED = Set.of(RSEQ_CPU, RSEQ_CPU_CACHED);

  /** ABIs whose per-id data is indexed by the mm's concurrency id. */
  static final Set<String> CID_INDEXED = Set.of(RSEQ_MM_CID, GS);

  /** Ops per "per thousand ops" rate. */
  private static final int PER_THOUSAND = 1000;

  /** Percent per unit. */
  private static final int PERCENT = 100;

  private AbiReading() {}

  /** The sentences for {@code model}, in the order of the class comment. */
  static List<String> sentences(ReportModel model) {
    List<String> out = new ArrayList<>();
    verdicts(model, out);
    List<VariantResult> vs = model.variants();
    for (VariantResult g : vs) {
      if (!g.abi().equals(GS) || g.ops() == 0) {
        continue;
      }
      for (VariantResult r : vs) {
        if (r != g && !r.abi().equals(GS) && r.ops() > 0 && sameKernel(g, r)) {
          savings(g, r, out);
        }
      }
      gsCost(g, vs, out);
    }
    footprint(vs, out);
    for (VariantResult v : vs) {
      aborts(v, out);
    }
    return out;
  }

  /** Cycles per op {@code g} saves against {@code r} (negative: costs more). */
  static double cyclesSaved(VariantResult g, VariantResult r) {
    return r.cyclesPerOp() - g.cyclesPerOp();
  }

  /** GS-write cycles per op of {@code g} at {@code cyclesPerWrite}. */
  static double gsCyclesPerOp(VariantResult g, long cyclesPerWrite) {
    return ReportNumbers.per(g.gsWrites() * cyclesPerWrite, g.ops());
  }

  private static boolean sameKernel(VariantResult a, VariantResult b) {
    return a.cidAllocator().equals(b.cidAllocator()) && a.idUpdate().equals(b.idUpdate());
  }

  private static String name(VariantResult v) {
    return "`" + v.name() + "`";
  }

  private static void verdicts(ReportModel model, List<String> out) {
    int n = model.verdicts().size();
    if (n == 0) {
      return;
    }
    List<String> off = new ArrayList<>();
    for (ReportModel.VerdictLine l : model.verdicts()) {
      if (!l.asExpected()) {
        StringJoiner kinds = new StringJoiner(", ");
        l.variant().violations().stream().map(Violation::kind).distinct().sorted()
            .forEach(kinds::add);
        off.add(name(l.variant()) + " was expected to " + l.expected().spelling() + " and "
            + (l.observed().spelling().equals("pass") ? "passed"
                : "failed (" + kinds + ")"));
      }
    }
    if (off.isEmpty()) {
      out.add(n == 1 ? "The variant ended with the verdict the scenario expects."
          : "All " + n + " variants ended with the verdict the scenario expects.");
    } else {
      out.add((n - off.size()) + " of " + n
          + " variants ended with the verdict the scenario expects; " + String.join("; ", off)
          + ".");
    }
  }

  private static void savings(VariantResult g, VariantResult r, List<String> out) {
    double saved = cyclesSaved(g, r);
    double loads = r.loadsPerOp() - g.loadsPerOp();
    StringBuilder s = new StringBuilder();
    s.append(name(g)).append(" takes ").append(ReportNumbers.perOp(g.cyclesPerOp()))
        .append(" cycles per op against ").append(ReportNumbers.perOp(r.cyclesPerOp()))
        .append(" for ").append(name(r));
    if (!r.name().equals(r.abi())) {
      s.append(" (").append(r.abi()).append(')');
    }
    s.append(": ");
    if (saved == 0) {
      s.append("the same cost");
    } else {
      s.append(saved > 0 ? "it saves " : "it costs ").append(ReportNumbers.perOp(Math.abs(saved)))
          .append(saved > 0 ? " cycles per op (" : " cycles per op more (")
          .append(ReportNumbers.ratio(PERCENT * Math.abs(saved) / r.cyclesPerOp()))
          .append("% of ").append(name(r)).append("'s)");
    }
    s.append(", and executes ").append(ReportNumbers.perOp(g.loadsPerOp()))
        .append(" loads per op against ").append(ReportNumbers.perOp(r.loadsPerOp()));
    if (loads != 0) {
      s.append(" (").append(ReportNumbers.perOp(Math.abs(loads)))
          .append(loads > 0 ? " fewer" : " more").append(')');
    }
    s.append('.');
    out.add(s.toString());
  }

  private static void gsCost(VariantResult g, List<VariantResult> vs, List<String> out) {
    if (g.gsWrites() == 0) {
      out.add(name(g) + " made no GS-base writes in " + ReportNumbers.count(g.ops())
          + " ops, so GS population cost nothing in this run.");
      return;
    }
    long wrgsbase = g.notes().gsWriteCyclesWrgsbase();
    long wrmsr = g.notes().gsWriteCyclesWrmsr();
    double withWrgsbase = gsCyclesPerOp(g, wrgsbase);
    double withWrmsr = gsCyclesPerOp(g, wrmsr);
    StringBuilder s = new StringBuilder();
    s.append(name(g)).append(" made ").append(ReportNumbers.count(g.gsWrites()))
        .append(" GS-base writes in ").append(ReportNumbers.count(g.ops())).append(" ops (")
        .append(ReportNumbers.perOp(PER_THOUSAND * ReportNumbers.per(g.gsWrites(), g.ops())))
        .append(" per 1000 ops); at ").append(wrgsbase).append(" cycles per write with WRGSBASE that is ")
        .append(ReportNumbers.perOp(withWrgsbase)).append(" cycles per op, at ").append(wrmsr)
        .append(" cycles per write with WRMSR ").append(ReportNumbers.perOp(withWrmsr))
        .append(" cycles per op; the run charged ")
        .append(ReportNumbers.perOp(ReportNumbers.per(g.cycleStack().gsWrite(), g.ops())))
        .append(" cycles per op to gs_write.");
    out.add(s.toString());
    for (VariantResult r : vs) {
      if (r.abi().equals(RSEQ_MM_CID) && r.ops() > 0 && sameKernel(g, r)) {
        double saved = cyclesSaved(g, r);
        if (saved > 0) {
          out.add("Against the " + ReportNumbers.perOp(saved) + " cycles per op " + name(g)
              + " saves over " + name(r) + ", its GS writes take back "
              + ReportNumbers.ratio(PERCENT * withWrgsbase / saved) + "% with WRGSBASE and "
              + ReportNumbers.ratio(PERCENT * withWrmsr / saved) + "% with WRMSR.");
        }
      }
    }
  }

  private static void footprint(List<VariantResult> vs, List<String> out) {
    VariantResult byCid = null;
    for (VariantResult v : vs) {
      if (CID_INDEXED.contains(v.abi())) {
        byCid = v;
        break;
      }
    }
    if (byCid == null) {
      return;
    }
    for (VariantResult c : vs) {
      if (!CPU_INDEXED.contains(c.abi())
          || (c.footprintBytes() == 0 && byCid.footprintBytes() == 0)) {
        continue;
      }
      StringBuilder s = new StringBuilder();
      s.append(name(c)).append(" (indexed by CPU number) touched ")
          .append(ReportNumbers.kib(c.footprintBytes())).append(" KiB of per-id regions (")
          .append(ReportNumbers.count(c.footprintBytes())).append(" bytes), ").append(name(byCid))
          .append(" (indexed by mm_cid, cids up to ").append(byCid.maxCid()).append(") ")
          .append(ReportNumbers.kib(byCid.footprintBytes())).append(" KiB (")
          .append(ReportNumbers.count(byCid.footprintBytes())).append(" bytes)");
      if (byCid.footprintBytes() > 0 && c.footprintBytes() != byCid.footprintBytes()) {
        s.append(": ")
            .append(ReportNumbers.ratio((double) c.footprintBytes() / byCid.footprintBytes()))
            .append(" times as much");
      } else if (c.footprintBytes() == byCid.footprintBytes()) {
        s.append(": the same");
      }
      s.append('.');
      out.add(s.toString());
    }
  }

  private static void aborts(VariantResult v, List<String> out) {
    long total = v.totalAborts();
    if (total == 0 || v.ops() == 0) {
      return;
    }
    StringJoiner causes = new StringJoiner(", ");
    for (Map.Entry<String, Long> e : v.rseqAborts().entrySet()) {
      if (e.getValue() > 0) {
        causes.add(e.getKey() + " " + e.getValue());
      }
    }
    out.add(name(v) + " aborted " + ReportNumbers.count(total) + " rseq critical sections ("
        + ReportNumbers.perOp(PER_THOUSAND * ReportNumbers.per(total, v.ops()))
        + " per 1000 ops; by cause: " + causes + ").");
  }
}
