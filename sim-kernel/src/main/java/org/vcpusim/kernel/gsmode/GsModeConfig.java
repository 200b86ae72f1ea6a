package org.vcpusim.kernel.gsmode;

import java.util.Objects;
import org.vcpusim.kernel.mm.MemoryMaps;

/**
 * The machine-wide parameters of the GS mode; immutable.
 *
 * @param conflictPolicy what {@code arch_prctl(ARCH_SET_GS)} does while the mode is on
 * @param mmapMinAddr {@code vm.mmap_min_addr}: the lowest address user space may map; an origin
 *     below it is refused (when {@code checkOriginAgainstMmapMinAddr}) because {@code %gs:} accesses
 *     of cid 0 would hit the unmappable NULL guard range (reference kernel.md §5.5)
 * @param checkOriginAgainstMmapMinAddr false turns that check off, so that a scenario can show the
 *     hazard of the 2022 proposal's {@code stride * id} with no origin
 * @param accessChecker whether {@link GsAccessChecker} watches the {@code %gs:} accesses of tasks
 *     in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode (installed when the first mm enables it)
 */
public record GsModeConfig(
    GsConflictPolicy conflictPolicy,
    long mmapMinAddr,
    boolean checkOriginAgainstMmapMinAddr,
    boolean accessChecker) {

  /**
   * The default {@code vm.mmap_min_addr}: 65536, the value distributions set and the Kconfig help
   * calls reasonable for x86 (kernel.md §5.5); the simulated mmap uses the same floor.
   */
  public static final long DEFAULT_MMAP_MIN_ADDR = MemoryMaps.MMAP_MIN_ADDR;

  public GsModeConfig {
    Objects.requireNonNull(conflictPolicy, "conflictPolicy");
    if (mmapMinAddr < 0 || mmapMinAddr >= GsModeAbi.TASK_SIZE_MAX) {
      throw new IllegalArgumentException("mmap_min_addr out of the user address space: "
          + mmapMinAddr);
    }
  }

  /** {@link GsConflictPolicy#REFUSE}, mmap_min_addr 65536 and checked, the checker on. */
  public static GsModeConfig defaults() {
    return new GsModeConfig(GsConflictPolicy.REFUSE, DEFAULT_MMAP_MIN_ADDR, true, true);
  }

  public GsModeConfig withConflictPolicy(GsConflictPolicy policy) {
    return new GsModeConfig(policy, mmapMinAddr, checkOriginAgainstMmapMinAddr, accessChecker);
  }

  public GsModeConfig withMmapMinAddr(long addr) {
    return new GsModeConfig(conflictPolicy, addr, checkOriginAgainstMmapMinAddr, accessChecker);
  }

  public GsModeConfig withOriginCheck(boolean on) {
    return new GsModeConfig(conflictPolicy, mmapMinAddr, on, accessChecker);
  }

  public GsModeConfig withAccessChecker(boolean on) {
    return new GsModeConfig(conflictPolicy, mmapMinAddr, checkOriginAgainstMmapMinAddr, on);
  }
}
