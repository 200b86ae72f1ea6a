package org.vcpusim.kernel.experiment;

import java.util.Locale;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.gsmode.GsModeAbi;
import org.vcpusim.kernel.machine.UserLayout;
import org.vcpusim.kernel.mm.MemoryMaps;
import org.vcpusim.kernel.rseq.RseqAbi;

/**
 * The program of the allocator sweep: threads that increment a per-vCPU counter through {@code
 * %gs:} inside an rseq critical section, in bursts, and sleep in between.
 *
 * <p><b>Setup</b> (entry {@link #ENTRY_MAIN}, first thread, argument: its random seed): {@code
 * mmap(ORIGIN, nr_cpu_ids × STRIDE, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|
 * MAP_FIXED_NOREPLACE)} for the per-vCPU regions, then {@code prctl(PT_SET_GS_MODE, {MM_VCPU, 0,
 * STRIDE, ORIGIN}, 24, 0, 0)} (docs/abi.md); the result (0, or the first negative errno) goes to
 * {@link #SETUP_STATUS}, which holds {@link #SETUP_PENDING} until then. The first thread then
 * becomes a worker. The driver starts the other workers (entry {@link #ENTRY_WORKER}, argument:
 * a seed) only after it read status 0, so every worker is in the mode from its first instruction.
 *
 * <p><b>Worker loop.</b> A burst of 1 to {@link #MAX_BURST} increments (uniform, from a 64-bit
 * LCG in a register seeded by the argument), then {@code nanosleep} for {@link #MIN_SLEEP_NS} to
 * {@link #MAX_SLEEP_NS} (uniform), until {@link #STOP} is non-zero after a burst; then it adds the
 * increments it committed to {@link #OPS_TOTAL} ({@code lock add}) and calls {@code exit(0)}
 * (every worker, the first thread too, so the process ends when the last one does).
 *
 * <p><b>The increment</b> is librseq's {@code rseq_addv()} (librseq include/rseq/arch/x86/rseq.h,
 * x86-64 {@code rseq_addv}: store the descriptor's address to {@code rseq->rseq_cs}, then the
 * commit) with a {@code %gs:} operand in place of the {@code cpu_id}-indexed one and without
 * {@code RSEQ_ASM_CMP_CPU_ID}: under the GS mode the base already is the task's cid's region. The
 * add is split into load, add, store ({@code rseq_load_add_store}'s shape): in the simulator a
 * single {@code addq} to memory is indivisible even across cores, so only the split makes a lost
 * update — two running tasks with one cid, a missed abort, a stale GS base — show as a counter sum
 * below {@link #OPS_TOTAL}. The abort handler, preceded by the signature {@code ud1
 * 0x53053053(%rip), %edi} (bytes {@code 0f b9 3d} + {@link RseqAbi#RSEQ_SIG_X86}), counts to
 * {@link #ABORTS_SEEN} and retries.
 *
 * <p>Registers of a worker: rbx LCG state, rbp increments committed, r12 {@code __rseq_offset},
 * r13 burst countdown, r15 the LCG multiplier; a 16-byte {@code struct timespec} on its stack.
 *
 * <p><b>Caveats:</b> the per-vCPU counter of cid {@code c} is the 8 bytes at {@code ORIGIN + c ×
 * STRIDE + COUNTER_OFFSET}; regions of cids never used stay zero.
 */
public final class GsCounterProgram {
  /** Entry of the first thread (setup, then worker). */
  public static final String ENTRY_MAIN = "main";
  /** Entry of every other worker. */
  public static final String ENTRY_WORKER = "worker";
  /** Symbol: setup status, {@link #SETUP_PENDING} until the setup finished, then 0 or −errno. */
  public static final String SETUP_STATUS = "setup_status";
  /** Symbol: the driver sets it to 1 to make workers exit after their current burst. */
  public static final String STOP = "stop";
  /** Symbol: increments committed by exited workers. */
  public static final String OPS_TOTAL = "ops_total";
  /** Symbol: entries into the abort handler. */
  public static final String ABORTS_SEEN = "aborts_seen";
  /** The value of {@link #SETUP_STATUS} before the setup finished (no errno is this value). */
  public static final long SETUP_PENDING = 1;

  /**
   * GS base of cid 0: 256 MiB, far above {@code vm.mmap_min_addr} and the program image (0x401000)
   * and far below the top-down stacks and TLS blocks ({@link UserLayout#MMAP_BASE}), so {@code
   * MAP_FIXED_NOREPLACE} finds the range free.
   */
  public static final long ORIGIN = 0x1000_0000L;
  /** Bytes per cid: 64 KiB, the stride issue 5 names (a power of two ≥ 4 KiB, docs/abi.md). */
  public static final long STRIDE = 0x1_0000L;
  /** Offset of the counter in a cid's region (first line of the region). */
  public static final long COUNTER_OFFSET = 0;
  /**
   * Largest burst of increments per wake-up: a "short burst" of at most 16. A power of two: the
   * burst is the top {@code log2(MAX_BURST)} bits of the LCG state, plus one.
   */
  public static final int MAX_BURST = 16;
  /** Shortest sleep: 0.5 ms. */
  public static final long MIN_SLEEP_NS = 500_000;
  /** Longest sleep: 2 ms (mean 1.25 ms, so 64 threads wake about 51 000 times a second). */
  public static final long MAX_SLEEP_NS = 2_000_000;

  /** Knuth's MMIX LCG multiplier (the increment below fits a sign-extended imm32). */
  private static final long LCG_MULTIPLIER = 6364136223846793005L;
  private static final long LCG_INCREMENT = 1442695041L;

  private GsCounterProgram() {}

  /** The program for a machine of {@code nrCpuIds} CPUs, assembled for {@link UserLayout}. */
  public static AssembledProgram assemble(int nrCpuIds) {
    return Assembler.assemble(source(nrCpuIds), "gs_counter.s", UserLayout.programLayout());
  }

  /** The assembly source (GNU as, AT&T). */
  public static String source(int nrCpuIds) {
    long regionBytes = STRIDE * nrCpuIds;
    long span = MAX_SLEEP_NS - MIN_SLEEP_NS + 1;
    int mapFlags = MemoryMaps.MAP_PRIVATE | MemoryMaps.MAP_ANONYMOUS
        | MemoryMaps.MAP_FIXED_NOREPLACE;
    int prot = MemoryMaps.PROT_READ | MemoryMaps.PROT_WRITE;
    return String.format(Locale.ROOT, ""
        + "  .set RSEQ_CS, %d\n"
        + "  .set PT_SET_GS_MODE, %#x\n"
        + "  .set COUNTER, %d\n"
        + "  .data\n"
        + "  .balign 64\n"
        + "mode: .long %d, 0\n"
        + "  .quad %#x, %#x\n"
        + "setup_status: .quad %d\n"
        + "stop: .quad 0\n"
        + "ops_total: .quad 0\n"
        + "aborts_seen: .quad 0\n"
        + "  .text\n"
        + "  .globl main\n"
        + "main:\n"
        + "  mov %%rdi, %%rbx\n"
        + "  mov $%#x, %%edi\n" // mmap(ORIGIN, regionBytes, prot, flags, -1, 0)
        + "  mov $%#x, %%esi\n"
        + "  mov $%d, %%edx\n"
        + "  mov $%#x, %%r10d\n"
        + "  mov $-1, %%r8\n"
        + "  xor %%r9d, %%r9d\n"
        + "  mov $9, %%eax\n"
        + "  syscall\n"
        + "  cmp $%#x, %%rax\n"
        + "  jne setup_failed\n"
        + "  mov $PT_SET_GS_MODE, %%edi\n" // prctl(PT_SET_GS_MODE, &mode, 24, 0, 0)
        + "  lea mode(%%rip), %%rsi\n"
        + "  mov $%d, %%edx\n"
        + "  xor %%r10d, %%r10d\n"
        + "  xor %%r8d, %%r8d\n"
        + "  mov $157, %%eax\n"
        + "  syscall\n"
        + "setup_failed:\n"
        + "  mov %%rax, setup_status(%%rip)\n"
        + "  test %%rax, %%rax\n"
        + "  jnz exit_thread\n"
        + "  mov %%rbx, %%rdi\n"
        + "  .globl worker\n"
        + "worker:\n" // rdi = seed
        + "  mov %%rdi, %%rbx\n"
        + "  xor %%ebp, %%ebp\n"
        + "  mov __rseq_offset(%%rip), %%r12\n"
        + "  mov $%d, %%r15\n"
        + "  sub $16, %%rsp\n"
        + "loop:\n"
        + "  imul %%r15, %%rbx\n"
        + "  add $%d, %%rbx\n"
        + "  mov %%rbx, %%r13\n"
        + "  shr $%d, %%r13\n"
        + "  inc %%r13\n"
        + "burst:\n"
        + "  .pushsection __rseq_cs, \"aw\"\n"
        + "  .balign 32\n"
        + "inc_cs:\n"
        + "  .long 0, 0\n"
        + "  .quad inc_start, inc_post - inc_start, inc_abort\n"
        + "  .popsection\n"
        + "inc_retry:\n"
        + "  lea inc_cs(%%rip), %%rax\n"
        + "  mov %%rax, %%fs:RSEQ_CS(%%r12)\n"
        + "inc_start:\n"
        + "  mov %%gs:COUNTER, %%rax\n"
        + "  add $1, %%rax\n"
        + "inc_commit:\n"
        + "  mov %%rax, %%gs:COUNTER\n"
        + "inc_post:\n"
        + "  inc %%rbp\n"
        + "  dec %%r13\n"
        + "  jnz burst\n"
        + "  cmpq $0, stop(%%rip)\n"
        + "  jne done\n"
        + "  imul %%r15, %%rbx\n" // sleep MIN + ((rand >> 32) * span >> 32) ns
        + "  add $%d, %%rbx\n"
        + "  mov %%rbx, %%rax\n"
        + "  shr $32, %%rax\n"
        + "  imul $%d, %%rax, %%rax\n"
        + "  shr $32, %%rax\n"
        + "  add $%d, %%rax\n"
        + "  movq $0, (%%rsp)\n"
        + "  mov %%rax, 8(%%rsp)\n"
        + "  mov %%rsp, %%rdi\n"
        + "  xor %%esi, %%esi\n"
        + "  mov $35, %%eax\n"
        + "  syscall\n"
        + "  jmp loop\n"
        + "done:\n"
        + "  lock add %%rbp, ops_total(%%rip)\n"
        + "exit_thread:\n"
        + "  xor %%edi, %%edi\n"
        + "  mov $60, %%eax\n"
        + "  syscall\n"
        + "  .byte 0x0f, 0xb9, 0x3d\n"
        + "  .long %#x\n"
        + "inc_abort:\n"
        + "  lock incq aborts_seen(%%rip)\n"
        + "  jmp inc_retry\n",
        RseqAbi.RSEQ_CS_OFFSET, GsModeAbi.PT_SET_GS_MODE, COUNTER_OFFSET,
        GsModeAbi.GS_INDEX_MODE_MM_VCPU, STRIDE, ORIGIN, SETUP_PENDING,
        ORIGIN, regionBytes, prot, mapFlags, ORIGIN,
        GsModeAbi.ARGS_SIZE,
        LCG_MULTIPLIER, LCG_INCREMENT, Long.SIZE - Integer.numberOfTrailingZeros(MAX_BURST),
        LCG_INCREMENT, span, MIN_SLEEP_NS, RseqAbi.RSEQ_SIG_X86);
  }
}
