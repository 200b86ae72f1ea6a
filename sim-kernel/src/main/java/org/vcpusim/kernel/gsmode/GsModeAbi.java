package org.vcpusim.kernel.gsmode;

/**
 * The user ABI of the GS mode as this project fixes it (docs/abi.md): the {@code prctl} options,
 * {@code struct gs_mode_args} and its fields, the index modes, and the address-space limits the
 * arguments are checked against. The mode itself is Mathieu Desnoyers' September 2022 proposal
 * ({@code PT_{SET,GET}_GS_MODE}, {@code enum gs_index_mode}, a stride; reference kernel.md §6),
 * with an origin added so that cid 0 does not map to address 0 (kernel.md §8 decision 8).
 *
 * <pre>
 * struct gs_mode_args {      // 24 bytes, little-endian, no padding
 *   __u32 index_mode;        // GS_INDEX_MODE_NONE or GS_INDEX_MODE_MM_VCPU
 *   __u32 flags;             // must be 0
 *   __u64 stride;            // bytes per concurrency id: a power of two, at least 4096
 *   __u64 origin;            // GS base of cid 0
 * };
 * prctl(PT_SET_GS_MODE, &amp;args, sizeof(args), 0, 0);
 * prctl(PT_GET_GS_MODE, &amp;args, sizeof(args), 0, 0);
 * </pre>
 */
public final class GsModeAbi {
  /**
   * {@code PT_SET_GS_MODE}: "GS" (0x4753) in the top half keeps it far from mainline {@code PR_*}
   * options, which are small integers (include/uapi/linux/prctl.h).
   */
  public static final int PT_SET_GS_MODE = 0x47530001;
  /** {@code PT_GET_GS_MODE}. */
  public static final int PT_GET_GS_MODE = 0x47530002;

  /** {@code GS_INDEX_MODE_NONE}: the kernel leaves the GS base alone (the mode is off). */
  public static final int GS_INDEX_MODE_NONE = 0;
  /** {@code GS_INDEX_MODE_MM_VCPU}: GS base = origin + stride × mm_cid on return to user. */
  public static final int GS_INDEX_MODE_MM_VCPU = 1;

  /** {@code sizeof(struct gs_mode_args)}. */
  public static final int ARGS_SIZE = 24;
  /** {@code offsetof(struct gs_mode_args, index_mode)}. */
  public static final int INDEX_MODE_OFFSET = 0;
  /** {@code offsetof(struct gs_mode_args, flags)}. */
  public static final int FLAGS_OFFSET = 4;
  /** {@code offsetof(struct gs_mode_args, stride)}. */
  public static final int STRIDE_OFFSET = 8;
  /** {@code offsetof(struct gs_mode_args, origin)}. */
  public static final int ORIGIN_OFFSET = 16;

  /**
   * The smallest stride: one 4 KiB page, so that each id's region can be mapped and protected on
   * its own (librseq's default per-CPU stride is 64 KiB, kernel.md §4.4).
   */
  public static final long MIN_STRIDE = 4096;

  /**
   * x86-64 {@code TASK_SIZE_MAX}: {@code (1 << 47) - PAGE_SIZE}, the end of the user address space
   * with 4-level paging (arch/x86/include/asm/page_64_types.h); {@code arch_prctl(ARCH_SET_GS)}
   * refuses a base at or above it (arch/x86/kernel/process_64.c, {@code do_arch_prctl_64()}).
   */
  public static final long TASK_SIZE_MAX = (1L << 47) - 4096;

  private GsModeAbi() {}
}
