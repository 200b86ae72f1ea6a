package org.vcpusim.scenarios.scenario;

/**
 * The {@code struct gs_mode_args} a process passes to {@code prctl(PT_SET_GS_MODE)} when it runs
 * the {@link Abi#GS_MM_CID} variant: the kernel then loads the GS base with {@code origin + stride
 * * mm_cid} on return to user (kernel.md §6, §8 decision 8).
 *
 * @param enabled false for {@code gs_mode: off}: the process never asks for the mode
 * @param stride bytes of per-id data, {@code 1..MAX_STRIDE}; 0 when off
 * @param origin the base of id 0, below {@code USER_SPACE_END}; 0 when off
 */
public record GsModeSpec(boolean enabled, long stride, long origin) {
  /** librseq's {@code RSEQ_MEMPOOL_STRIDE}: 64 KiB per id (kernel.md §4.4). */
  public static final long DEFAULT_STRIDE = 65_536;
  /**
   * Default origin: 256 MiB, far above any {@code mmap_min_addr} and below where the model maps
   * programs, so {@code origin + stride * cid} never lands in the NULL guard range.
   */
  public static final long DEFAULT_ORIGIN = 0x1000_0000L;
  /** Largest stride: 4 GiB per id, more than any per-id region needs. */
  public static final long MAX_STRIDE = 1L << 32;
  /** {@code TASK_SIZE_MAX} of 4-level paging: user addresses are below 2^47 (128 TiB). */
  public static final long USER_SPACE_END = 1L << 47;

  /** The mode off: the process never calls {@code PT_SET_GS_MODE}. */
  public static final GsModeSpec OFF = new GsModeSpec(false, 0, 0);
  /** The mode with the default stride and origin. */
  public static final GsModeSpec DEFAULT = new GsModeSpec(true, DEFAULT_STRIDE, DEFAULT_ORIGIN);

  public GsModeSpec {
    if (enabled
        ? stride < 1 || stride > MAX_STRIDE || origin < 0 || origin >= USER_SPACE_END
        : stride != 0 || origin != 0) {
      throw new IllegalArgumentException(
          "bad GS mode: enabled=" + enabled + " stride=" + stride + " origin=" + origin);
    }
  }

  /** The GS base of id {@code cid}: {@code origin + stride * cid}. */
  public long baseOf(int cid) {
    return origin + stride * cid;
  }
}
