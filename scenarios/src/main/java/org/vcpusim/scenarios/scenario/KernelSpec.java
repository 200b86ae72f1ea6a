package org.vcpusim.scenarios.scenario;

import java.util.Objects;

/**
 * The kernel settings of a scenario (its {@code kernel:} section); a {@link VariantSpec} may
 * override the allocator, the id-update policy and the GS conflict policy.
 *
 * @param hz the scheduler tick rate ({@code CONFIG_HZ}), {@code MIN_HZ..MAX_HZ}
 * @param cidAllocator the concurrency-id allocator
 * @param idUpdate when the rseq id fields are rewritten
 * @param gsConflict what {@code ARCH_SET_GS} does in GS mode
 * @param mmapMinAddr {@code vm.mmap_min_addr}: the lowest address a process may map, page-aligned
 * @param gsOriginCheck whether {@code PT_SET_GS_MODE} refuses an origin below {@code mmapMinAddr}
 *     ({@code false} lets a base of {@code 0 + stride * 0} through: the NULL-guard hazard)
 * @param cidScanPeriodMs the compaction period of {@code mm_cid-6.4} ({@code MM_CID_SCAN_DELAY})
 */
public record KernelSpec(
    int hz,
    CidAllocatorName cidAllocator,
    IdUpdate idUpdate,
    GsConflict gsConflict,
    long mmapMinAddr,
    boolean gsOriginCheck,
    int cidScanPeriodMs) {

  /** {@code CONFIG_HZ} default, as {@code SchedParams.DEFAULT_HZ} ({@code kernel/Kconfig.hz}). */
  public static final int DEFAULT_HZ = 250;
  /** Lowest tick rate: {@code HZ_100}, the smallest {@code kernel/Kconfig.hz} offers. */
  public static final int MIN_HZ = 100;
  /** Highest tick rate: 10 µs ticks, a hundred times {@code HZ_1000}, for short scenarios. */
  public static final int MAX_HZ = 100_000;
  /** The allocator of most kernels in use today (v6.4–v6.18). */
  public static final CidAllocatorName DEFAULT_CID_ALLOCATOR = CidAllocatorName.MM_CID_6_4;
  /** x86 distributions' {@code vm.mmap_min_addr} (kernel.md §5.5). */
  public static final long DEFAULT_MMAP_MIN_ADDR = 65_536;
  /** The page size {@code mmap_min_addr} is rounded to. */
  public static final long PAGE_SIZE = 4_096;
  /** Highest {@code mmap_min_addr} accepted: 1 GiB, far above any real setting. */
  public static final long MAX_MMAP_MIN_ADDR = 1L << 30;
  /** {@code MM_CID_SCAN_DELAY}: 100 ms ({@code kernel/sched/sched.h}, v6.4; kernel.md §2.6). */
  public static final int DEFAULT_CID_SCAN_PERIOD_MS = 100;
  /** Longest compaction period: 10 s, longer than any bundled run. */
  public static final int MAX_CID_SCAN_PERIOD_MS = 10_000;

  public KernelSpec {
    Objects.requireNonNull(cidAllocator, "cidAllocator");
    Objects.requireNonNull(idUpdate, "idUpdate");
    Objects.requireNonNull(gsConflict, "gsConflict");
  }

  /** Every setting at its default. */
  public static KernelSpec defaults() {
    return new KernelSpec(
        DEFAULT_HZ,
        DEFAULT_CID_ALLOCATOR,
        IdUpdate.LEGACY,
        GsConflict.EBUSY,
        DEFAULT_MMAP_MIN_ADDR,
        true,
        DEFAULT_CID_SCAN_PERIOD_MS);
  }
}
