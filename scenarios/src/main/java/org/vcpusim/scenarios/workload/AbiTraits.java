package org.vcpusim.scenarios.workload;

import org.vcpusim.kernel.check.PerIdRegions;
import org.vcpusim.scenarios.scenario.Abi;

/**
 * What the workload code of each {@link Abi} variant needs to know about it besides its
 * instruction shapes (those are in {@link WorkloadSource}): which id indexes the per-id regions,
 * whether the program registers its own rseq area, whether a drain can fence one CPU only.
 */
final class AbiTraits {
  private AbiTraits() {}

  /**
   * What indexes the per-id regions: the CPU number for the rseq-cpu variants (the cached one
   * too: its cached address is {@code slabs + (cpu_id << shift)}), the concurrency id otherwise.
   */
  static PerIdRegions.Index index(Abi abi) {
    return switch (abi) {
      case RSEQ_CPU, RSEQ_CPU_CACHED -> PerIdRegions.Index.CPU_ID;
      case RSEQ_MM_CID, GS_MM_CID -> PerIdRegions.Index.MM_CID;
    };
  }

  /**
   * Whether the program registers its own rseq area (libc's registration is then off, {@code
   * glibc.pthread.rseq=0}): the cached variant does, as TCMalloc must, because it keeps its
   * cached-slab word next to {@code cpu_id_start} (userspace.md §1.6).
   */
  static boolean ownRseq(Abi abi) {
    return abi == Abi.RSEQ_CPU_CACHED;
  }

  /**
   * Whether a drain fences only the CPU of the id ({@code MEMBARRIER_CMD_FLAG_CPU}): possible when
   * ids are CPU numbers; with concurrency ids the CPU holding an id is unknown and every CPU is
   * fenced (TCMalloc {@code FenceCpu} with virtual CPUs, userspace.md §1.7).
   */
  static boolean targetedFence(Abi abi) {
    return index(abi) == PerIdRegions.Index.CPU_ID;
  }
}
