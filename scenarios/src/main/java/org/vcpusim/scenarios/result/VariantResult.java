package org.vcpusim.scenarios.result;

import org.vcpusim.scenarios.scenario.Verdict;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One ABI variant's run, with exactly the fields of a {@code result.json} {@code variants} entry
 * (in its key order), plus the report-only {@link VariantNotes}.
 *
 * <p>Per-op figures are means over the workload's ops (p50/p99 from the per-op cycle histogram);
 * they are NaN when the variant ran no op, and {@code result.json} writes them as {@code null}.
 *
 * @param name the variant's name (an ABI name, or the scenario's own name for it)
 * @param abi {@code rseq-cpu}, {@code rseq-mm_cid}, {@code rseq-cpu-cached} or {@code gs-mm_cid}
 * @param cidAllocator the cid allocator's name ({@code cpu}, {@code vcpu-2022}, ...)
 * @param idUpdate the rseq id-update policy ({@code legacy} or {@code on-change})
 * @param ops ops completed by all threads
 * @param cyclesPerOp mean cycles per op
 * @param cyclesPerOpP50 median cycles per op
 * @param cyclesPerOpP99 99th percentile of cycles per op
 * @param instructionsPerOp mean user instructions retired per op
 * @param loadsPerOp mean user loads per op
 * @param rseqAborts rseq aborts by cause ({@code preempt}, {@code signal}, {@code migrate},
 *     {@code membarrier}), causes sorted
 * @param cidChanges times a workload task was switched in with a cid other than its last
 * @param maxCid the largest cid a workload task held, or -1 if none held one
 * @param gsWrites kernel writes of the GS base (GS-mode population)
 * @param footprintBytes per-id regions actually touched × their size
 * @param cycleStack where the cycles went
 * @param violations the checks that failed, in the order they were found
 * @param notes report-only facts (expected verdict, GS write costs, cid high-water)
 */
public record VariantResult(String name, String abi, String cidAllocator, String idUpdate, long ops,
    double cyclesPerOp, double cyclesPerOpP50, double cyclesPerOpP99, double instructionsPerOp,
    double loadsPerOp, SortedMap<String, Long> rseqAborts, long cidChanges, int maxCid,
    long gsWrites, long footprintBytes, CycleStack cycleStack, List<Violation> violations,
    VariantNotes notes) {

  /** Validates and copies. */
  public VariantResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(cidAllocator, "cidAllocator");
    Objects.requireNonNull(idUpdate, "idUpdate");
    Objects.requireNonNull(cycleStack, "cycleStack");
    Objects.requireNonNull(notes, "notes");
    rseqAborts = Collections.unmodifiableSortedMap(new TreeMap<>(rseqAborts));
    violations = List.copyOf(violations);
    if (ops < 0 || cidChanges < 0 || maxCid < -1 || gsWrites < 0 || footprintBytes < 0) {
      throw new IllegalArgumentException("variant " + name + ": negative count");
    }
    for (var e : rseqAborts.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("variant " + name + ": aborts " + e);
      }
    }
  }

  /** All rseq aborts, every cause. */
  public long totalAborts() {
    long t = 0;
    for (long v : rseqAborts.values()) {
      t += v;
    }
    return t;
  }

  /** The verdict the violations give when {@code echo} says which kinds fail. */
  public Verdict verdict(ScenarioEcho echo) {
    for (Violation v : violations) {
      if (echo.fails(v.kind())) {
        return Verdict.FAIL;
      }
    }
    return Verdict.PASS;
  }
}
