package org.vcpusim.scenarios.result;

import org.vcpusim.scenarios.scenario.Verdict;
import java.util.Objects;

/**
 * What the report says about a variant beyond {@code result.json}'s fields (report only, not in
 * the file).
 *
 * <p>GS write costs are the profile's price of one kernel write of the user GS base in each regime
 * (reference kernel.md §5): {@code gsWriteCyclesWrgsbase} with FSGSBASE ({@code
 * CpuProfile.kernel().wrgsbaseKernel()}: SWAPGS; WRGSBASE; SWAPGS, as {@code
 * arch/x86/include/asm/fsgsbase.h: x86_gsbase_write_task()} does) and {@code gsWriteCyclesWrmsr}
 * without it ({@code wrmsrGsBase}: WRMSR of MSR_KERNEL_GS_BASE). The report multiplies them by
 * {@code gs_writes} to say what GS population costs per op under either regime, whichever the run
 * used.
 *
 * @param expect the verdict the scenario expects of this variant
 * @param gsWriteCyclesWrgsbase cycles of one GS-base write with WRGSBASE
 * @param gsWriteCyclesWrmsr cycles of one GS-base write with WRMSR
 * @param cidHighWater largest cid + 1 the workload's tasks held (per-mm high-water; the number of
 *     per-id regions an mm_cid-indexed layout must provide)
 * @param cidsUsed distinct cids the workload's tasks held
 */
public record VariantNotes(Verdict expect, long gsWriteCyclesWrgsbase, long gsWriteCyclesWrmsr,
    int cidHighWater, int cidsUsed) {

  /** Validates. */
  public VariantNotes {
    Objects.requireNonNull(expect, "expect");
    if (gsWriteCyclesWrgsbase < 0 || gsWriteCyclesWrmsr < 0 || cidHighWater < 0 || cidsUsed < 0) {
      throw new IllegalArgumentException("negative variant note");
    }
  }
}
