package org.vcpusim.kernel.machine;

import java.util.Map;
import java.util.TreeMap;
import org.vcpusim.cpu.asm.Layout;
import org.vcpusim.kernel.rseq.RseqAbi;

/**
 * Where the machine puts things in a process's address space, and the libc conventions it follows
 * on the program's behalf. Programs may rely on every constant here.
 *
 * <h2>Per thread: stack and TLS block</h2>
 *
 * Each thread gets, top-down below the mmap base as glibc's {@code pthread_create()} does with its
 * {@code mmap}ed stacks: a {@link #STACK_GUARD_BYTES} guard page (reserved, unmapped: overflowing
 * the stack faults), a read-write stack of the process's stack size, and separately a read-write
 * TLS block of {@link #TLS_BLOCK_BYTES}. The thread pointer (the FS base) is {@link
 * #TLS_STATIC_BYTES} into the block, x86-64's TLS variant II ({@code TLS_TCB_AT_TP}): static TLS
 * lies below it ({@code %fs:-8} and down, zero-filled), the thread control block at and above it.
 * The machine writes glibc's {@code tcbhead_t} self pointers ({@code %fs:0} = {@code tcb} and
 * {@code %fs:16} = {@code self}, both the thread pointer) and nothing else above it except the rseq
 * area.
 *
 * <p>The thread starts at its entry with RSP = stack top − 8 (so RSP + 8 is 16-byte aligned, as at
 * a function's first instruction after a {@code call}); the 8 bytes at RSP hold a return address
 * to an exit sentinel, and RDI, RSI, RDX, RCX, R8, R9 hold its arguments (System V calling
 * convention). A {@code ret} to {@link #THREAD_EXIT_ADDRESS} ends the thread as {@code exit(RAX)}
 * does (glibc's {@code start_thread()} calling {@code __exit_thread()} after the start routine
 * returns), the task's exit code keeping all 64 bits of RAX (the value {@code pthread_join()}
 * would see); a {@code ret} to {@link #PROCESS_EXIT_ADDRESS}, the return address of a process's first
 * thread, ends the whole process as {@code exit_group(RAX)} does ({@code __libc_start_main()}
 * calling {@code exit(main(...))}). The sentinels sit in a read-execute page holding no
 * instruction: reaching any other address of that page is an invalid-instruction fault.
 *
 * <h2>The rseq area and the libc data page</h2>
 *
 * <p>The 32-byte {@code struct rseq} of each thread is at thread pointer + {@link #RSEQ_OFFSET}, a
 * positive offset as in glibc 2.35–2.39 on x86-64, where the area is a member of {@code struct
 * pthread} above the thread pointer (reference userspace.md §3); 32-byte aligned as the ABI
 * requires. glibc exports the offset as {@code __rseq_offset} ({@code ptrdiff_t}, read-only), the
 * registered size as {@code __rseq_size} ({@code unsigned int}) and {@code __rseq_flags} ({@code
 * unsigned int}, always 0). The machine maps them, read-only, in the libc data page at {@link
 * #LIBC_DATA_ADDRESS}: {@code __rseq_offset} at +0, {@code __rseq_size} at +8, {@code __rseq_flags}
 * at +12. {@link #externSymbols()} gives these addresses for the assembler's extern symbols
 * ({@link #programLayout()}), so a program writes {@code mov __rseq_offset(%rip), %rax; movl
 * %fs:4(%rax), %eax} as against glibc. {@code __rseq_size} is {@link #RSEQ_REGISTERED_SIZE} when
 * the process lets the machine register rseq for its threads (glibc's default, tunable {@code
 * glibc.pthread.rseq=1}) and 0 when it does not; the area's {@code cpu_id} then reads {@code
 * RSEQ_CPU_ID_REGISTRATION_FAILED} (−2), as glibc leaves it. The registration is the {@code rseq}
 * system call glibc's {@code start_thread()} makes ({@code rseq_register_current_thread()}: the
 * area, {@link #RSEQ_REGISTERED_SIZE}, flags 0, {@link RseqAbi#RSEQ_SIG_X86}), performed by the
 * machine before the thread's first instruction, so its ids are written on its first return to
 * user.
 *
 * <h2>Address map</h2>
 *
 * The machine's two fixed pages at {@link #LIBC_DATA_ADDRESS} and {@link #EXIT_PAGE_ADDRESS}
 * (0x300000, 0x301000); the program image where the assembler laid it out (0x401000 by default);
 * stacks, TLS blocks and {@code mmap} without a hint top-down from {@link #MMAP_BASE}, never below
 * {@code vm.mmap_min_addr}.
 */
public final class UserLayout {
  /** Bytes of a stack guard gap below each thread's stack. */
  public static final long STACK_GUARD_BYTES = 4096;
  /** Default stack size of a thread: 64 KiB, plenty for the simulated routines, cheap to map. */
  public static final long DEFAULT_STACK_BYTES = 64 * 1024;
  /** Bytes of static TLS below the thread pointer. */
  public static final long TLS_STATIC_BYTES = 4096;
  /** Bytes of the thread control block from the thread pointer up (glibc's struct pthread). */
  public static final long TCB_BYTES = 4096;
  /** The whole TLS block: static TLS, then the TCB. */
  public static final long TLS_BLOCK_BYTES = TLS_STATIC_BYTES + TCB_BYTES;
  /** {@code offsetof(tcbhead_t, tcb)}: the thread pointer itself, {@code %fs:0}. */
  public static final long TCB_SELF_OFFSET = 0;
  /** {@code offsetof(tcbhead_t, self)}: the thread pointer again, {@code %fs:16}. */
  public static final long TCB_HEAD_SELF_OFFSET = 16;
  /**
   * {@code __rseq_offset}: thread pointer to the rseq area, 2336 as glibc 2.36 on the calibration
   * host reports it (benchmarks/calibrate/README.md; the same value {@code vcpusim asm}'s process
   * image uses); a multiple of 32, so the area is 32-byte aligned.
   */
  public static final long RSEQ_OFFSET = 2336;
  /** The registration length glibc 2.35–2.39 passes to {@code rseq()} ({@code ORIG_RSEQ_SIZE}). */
  public static final int RSEQ_REGISTERED_SIZE = RseqAbi.ORIG_RSEQ_SIZE;

  /**
   * The read-only page holding {@code __rseq_offset}, {@code __rseq_size}, {@code __rseq_flags}:
   * below the default image ({@code Layout.DEFAULT_TEXT_ADDRESS}, 0x401000) and within 2 GiB of
   * it, so that {@code __rseq_offset(%rip)} reaches it as it reaches the copy-relocated slot of a
   * non-PIE executable (the address {@code vcpusim asm}'s process image uses too).
   */
  public static final long LIBC_DATA_ADDRESS = 0x300000L;
  /** Address of {@code __rseq_offset} (8 bytes). */
  public static final long RSEQ_OFFSET_SYMBOL = LIBC_DATA_ADDRESS;
  /** Address of {@code __rseq_size} (4 bytes). */
  public static final long RSEQ_SIZE_SYMBOL = LIBC_DATA_ADDRESS + 8;
  /** Address of {@code __rseq_flags} (4 bytes). */
  public static final long RSEQ_FLAGS_SYMBOL = LIBC_DATA_ADDRESS + 12;
  /** The read-execute page of the exit sentinels, next to the libc data page. */
  public static final long EXIT_PAGE_ADDRESS = 0x301000L;
  /** A {@code ret} here ends the thread: {@code exit(RAX)}. */
  public static final long THREAD_EXIT_ADDRESS = EXIT_PAGE_ADDRESS;
  /** A {@code ret} here ends the process: {@code exit_group(RAX)}. */
  public static final long PROCESS_EXIT_ADDRESS = EXIT_PAGE_ADDRESS + 0x10;
  /**
   * One past the machine's two fixed pages: a program image must leave {@code [}{@link
   * #LIBC_DATA_ADDRESS}{@code , FIXED_PAGES_END)} free.
   */
  public static final long FIXED_PAGES_END = EXIT_PAGE_ADDRESS + 4096;
  /** Bytes at the start of the libc data page that hold the three symbols. */
  public static final int LIBC_DATA_BYTES = 16;
  /** Ceiling of top-down placement of stacks, TLS blocks and {@code mmap}. */
  public static final long MMAP_BASE = 0x7fff_e000_0000L;

  private UserLayout() {}

  /**
   * The layout to assemble a program for the machine with: the assembler's defaults plus the libc
   * symbols of {@link #externSymbols()} as extern symbols ({@link Layout#withExternSymbol}).
   */
  public static Layout programLayout() {
    Layout layout = Layout.defaults();
    for (Map.Entry<String, Long> e : externSymbols().entrySet()) {
      layout = layout.withExternSymbol(e.getKey(), e.getValue());
    }
    return layout;
  }

  /** The rseq area of the thread whose thread pointer (FS base) is {@code threadPointer}. */
  public static long rseqArea(long threadPointer) {
    return threadPointer + RSEQ_OFFSET;
  }

  /**
   * The first {@link #LIBC_DATA_BYTES} bytes of the libc data page: {@code __rseq_offset} =
   * {@link #RSEQ_OFFSET}, {@code __rseq_size} = {@code rseqSize} ({@link #RSEQ_REGISTERED_SIZE}
   * when libc registered rseq, 0 when it did not), {@code __rseq_flags} = 0, little-endian.
   */
  public static byte[] libcData(int rseqSize) {
    byte[] b = new byte[LIBC_DATA_BYTES];
    UserCopy.putLong(b, (int) (RSEQ_OFFSET_SYMBOL - LIBC_DATA_ADDRESS), RSEQ_OFFSET);
    UserCopy.putLong(b, (int) (RSEQ_SIZE_SYMBOL - LIBC_DATA_ADDRESS), rseqSize); // then flags 0
    return b;
  }

  /** The libc symbols a program may reference as externals, by name, with their addresses. */
  public static Map<String, Long> externSymbols() {
    TreeMap<String, Long> m = new TreeMap<>();
    m.put("__rseq_offset", RSEQ_OFFSET_SYMBOL);
    m.put("__rseq_size", RSEQ_SIZE_SYMBOL);
    m.put("__rseq_flags", RSEQ_FLAGS_SYMBOL);
    return java.util.Collections.unmodifiableMap(m);
  }
}
