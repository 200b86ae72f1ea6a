package org.vcpusim.kernel.rseq;

import org.vcpusim.cpu.mem.AddressSpace;

/**
 * The rseq user ABI: the layout of {@code struct rseq} and {@code struct rseq_cs}, the registration
 * flags, the id sentinels and the x86 signature, as in include/uapi/linux/rseq.h (torvalds/linux)
 * and compudj/librseq include/rseq/abi.h and include/rseq/arch/x86.h (reference kernel.md §2.1–2.3).
 *
 * <p>{@code struct rseq} (32-byte aligned):
 *
 * <pre>
 *  0  u32 cpu_id_start   kernel-written; a possible CPU number (0 after unregistration)
 *  4  u32 cpu_id         kernel-written; -1 UNINITIALIZED, -2 REGISTRATION_FAILED
 *  8  u64 rseq_cs        user-written pointer to a struct rseq_cs, cleared by the kernel
 * 16  u32 flags          historic NO_RESTART flags; must be 0
 * 20  u32 node_id        kernel-written (6.3+)
 * 24  u32 mm_cid         kernel-written (6.3+)
 * 28  u32 slice_ctrl     time-slice extension (2026); not modelled
 * </pre>
 *
 * <p>{@code struct rseq_cs} (32-byte aligned, 32 bytes): {@code u32 version} at 0 (must be 0),
 * {@code u32 flags} at 4 (must be 0), {@code u64 start_ip} at 8, {@code u64 post_commit_offset}
 * at 16 (the length of the critical section), {@code u64 abort_ip} at 24.
 *
 * <p><b>Caveats:</b> {@link #TASK_SIZE} is the simulator's user limit ({@link
 * AddressSpace#USER_LIMIT}, 2^47); x86-64's {@code TASK_SIZE_MAX} is one page lower (the last user
 * page is a guard). A descriptor in that last page is accepted here and rejected by Linux.
 */
public final class RseqAbi {
  /** Offset of {@code cpu_id_start}. */
  public static final int CPU_ID_START_OFFSET = 0;
  /** Offset of {@code cpu_id}. */
  public static final int CPU_ID_OFFSET = 4;
  /** Offset of the {@code rseq_cs} pointer. */
  public static final int RSEQ_CS_OFFSET = 8;
  /** Offset of the (deprecated) per-thread {@code flags}. */
  public static final int FLAGS_OFFSET = 16;
  /** Offset of {@code node_id}. */
  public static final int NODE_ID_OFFSET = 20;
  /** Offset of {@code mm_cid} (librseq {@code RSEQ_ASM_MM_CID_OFFSET}). */
  public static final int MM_CID_OFFSET = 24;
  /** Offset of {@code slice_ctrl} (2026 time-slice extension). */
  public static final int SLICE_CTRL_OFFSET = 28;

  /** {@code ORIG_RSEQ_SIZE}: the original struct size including padding (kernel/rseq.c). */
  public static final int ORIG_RSEQ_SIZE = 32;
  /** {@code __alignof__(struct rseq)}, what {@code AT_RSEQ_ALIGN} advertised through 6.18. */
  public static final int RSEQ_ALIGN = 32;

  /** {@code AT_RSEQ_FEATURE_SIZE} of 6.3–6.18: {@code offsetof(struct rseq, end)} = 28. */
  public static final int FEATURE_SIZE_6_3 = 28;
  /** {@code AT_RSEQ_FEATURE_SIZE} once {@code slice_ctrl} landed (2026). */
  public static final int FEATURE_SIZE_SLICE_CTRL = 32;
  /** {@code AT_RSEQ_FEATURE_SIZE} after the reserved byte (Feb 2026). */
  public static final int FEATURE_SIZE_RESERVED_BYTE = 33;

  /** Offset of {@code rseq_cs.version}. */
  public static final int CS_VERSION_OFFSET = 0;
  /** Offset of {@code rseq_cs.flags}. */
  public static final int CS_FLAGS_OFFSET = 4;
  /** Offset of {@code rseq_cs.start_ip}. */
  public static final int CS_START_IP_OFFSET = 8;
  /** Offset of {@code rseq_cs.post_commit_offset}. */
  public static final int CS_POST_COMMIT_OFFSET_OFFSET = 16;
  /** Offset of {@code rseq_cs.abort_ip}. */
  public static final int CS_ABORT_IP_OFFSET = 24;
  /** {@code sizeof(struct rseq_cs)}. */
  public static final int RSEQ_CS_SIZE = 32;
  /** {@code struct rseq_cs} alignment (declared {@code __attribute__((aligned(4 * sizeof(u64))))}). */
  public static final int RSEQ_CS_ALIGN = 32;

  /** {@code RSEQ_CPU_ID_UNINITIALIZED}: cpu_id before registration and after unregistration. */
  public static final int RSEQ_CPU_ID_UNINITIALIZED = -1;
  /** {@code RSEQ_CPU_ID_REGISTRATION_FAILED}: what a libc stores when registration failed. */
  public static final int RSEQ_CPU_ID_REGISTRATION_FAILED = -2;

  /** {@code RSEQ_FLAG_UNREGISTER}: the only sys_rseq flag through 6.18. */
  public static final int RSEQ_FLAG_UNREGISTER = 1;

  /** {@code RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT} (bit 0), deprecated in 2022 (0190e4198e47). */
  public static final int RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT = 1;
  /** {@code RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL} (bit 1), deprecated. */
  public static final int RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL = 1 << 1;
  /** {@code RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE} (bit 2), deprecated. */
  public static final int RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE = 1 << 2;
  /** {@code RSEQ_CS_NO_RESTART_FLAGS}: the three deprecated bits (kernel/rseq.c). */
  public static final int RSEQ_CS_NO_RESTART_FLAGS =
      RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT
          | RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL
          | RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE;

  /**
   * x86 {@code RSEQ_SIG}: the 4 bytes before every abort handler, the displacement of {@code ud1
   * 0x53053053(%rip),%edi} (librseq include/rseq/arch/x86.h).
   */
  public static final int RSEQ_SIG_X86 = 0x53053053;
  /** Opcode and ModRM bytes of the {@code ud1 disp32(%rip),%edi} that carries the signature. */
  public static final byte[] RSEQ_SIG_INSN_PREFIX = {0x0f, (byte) 0xb9, 0x3d};

  /** {@code TASK_SIZE} of the descriptor and pointer checks; see the caveat above. */
  public static final long TASK_SIZE = AddressSpace.USER_LIMIT;

  private RseqAbi() {}
}
