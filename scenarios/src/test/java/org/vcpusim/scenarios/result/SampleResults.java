package org.vcpusim.scenarios.result;

import org.vcpusim.scenarios.scenario.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hand-built results for the result and report tests: four ABI variants with figures chosen so
 * that every sentence of the report has something to say, one of them violating two checks.
 *
 * <p><b>Caveats:</b> test scaffolding; the figures are made up, not simulated.
 */
public final class SampleResults {
  private SampleResults() {}

  /** A GS-mode variant with its figures. */
  public static VariantResult variant(String name, String abi, long ops, double cyclesPerOp,
      double loadsPerOp, long gsWrites, long footprint, List<Violation> violations,
      Verdict expect) {
    TreeMap<String, Long> aborts = new TreeMap<>();
    aborts.put("signal", 3L);
    aborts.put("preempt", ops / 1000);
    return new VariantResult(name, abi, "mm_cid-6.4", "legacy", ops, cyclesPerOp,
        Math.floor(cyclesPerOp), cyclesPerOp * 3, 17.25, loadsPerOp, aborts, 12, 3, gsWrites,
        footprint, new CycleStack(ops * 20, 900, 5000, 12000, 3000, gsWrites * 40, 0, 77000),
        violations, new VariantNotes(expect, 40, 110, 4, 4));
  }

  /** The four ABIs; {@code rseq-cpu-cached} violates two checks with excerpts, as it expects. */
  public static RunResult fourVariants() {
    List<Violation> broken = List.of(
        new Violation("per_id_region", 1_234_567_000L, 1, 7,
            "region 2 touched by cpu 1 and cpu 0 at overlapping times",
            List.of("1.200 us  cpu 1  run  tid 7 (app)", "1.234 us  cpu 1  cid  tid 7 (app) 2 -> 1")),
        new Violation("object_conservation", 9_000_000_000L, -1, -1,
            "object 0x10040 handed out twice <while held>"));
    return new RunResult("allocator-microbench", 42, List.of(
        variant("rseq-cpu", "rseq-cpu", 100_000, 31.5, 9.0, 0, 8 * 4096, List.of(), Verdict.PASS),
        variant("rseq-mm_cid", "rseq-mm_cid", 100_000, 30.25, 9.0, 0, 2 * 4096, List.of(),
            Verdict.PASS),
        variant("cached-on-change", "rseq-cpu-cached", 100_000, 24.0, 7.5, 0, 8 * 4096, broken,
            Verdict.FAIL),
        variant("gs-mm_cid", "gs-mm_cid", 100_000, 22.75, 7.0, 500, 2 * 4096, List.of(),
            Verdict.PASS)),
        new HostInfo(1.5, 123_456_789, 4242, 82.304526),
        new ScenarioEcho("library/allocator-microbench.yaml", "One thread on one CPU.",
            "scenario: allocator-microbench\nseed: 42\n# \"quoted\" & <angled>\n",
            Optional.empty()));
  }
}
