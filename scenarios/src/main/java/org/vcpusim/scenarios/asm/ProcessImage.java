package org.vcpusim.scenarios.asm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.asm.Layout;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.Loader;
import org.vcpusim.kernel.machine.UserLayout;
import org.vcpusim.kernel.rseq.RseqAbi;

/**
 * The one-thread process {@code vcpusim asm} runs a routine in, set up the way glibc x86-64 sets
 * up its main thread (reference userspace.md §3, kernel.md §2.1), at fixed addresses. Everything
 * the machine also sets up comes from the machine's {@link UserLayout} (the libc data page and its
 * symbols, {@code __rseq_offset}, the registered size, the TLS block's shape, the TCB self
 * pointers, the fixed pages a program must leave free, the stack size) and from {@link RseqAbi}
 * (the rseq field offsets, the signature), so the two images cannot drift apart:
 *
 * <pre>
 * address          perm  contents
 * 0x300000         r--   "libc data": __rseq_offset (8 bytes, = 2336) at +0, __rseq_size (4 bytes,
 *                        = 32) at +8, __rseq_flags (4 bytes, = 0) at +12
 * 0x301000         r-x   the call driver (DRIVER_SOURCE, its own source unit "&lt;driver&gt;"),
 *                        in the page where the machine keeps its exit sentinels
 * 0x401000         per   the program as Layout.defaults() places it: .text, then every further
 *                  sect. section page-aligned after it
 * 0x7ffff7d89000   rw-   static TLS below the thread pointer (empty: the assembler has no TLS)
 * 0x7ffff7d8a000   rw-   thread pointer = FS base: glibc's TCB, %fs:0 and %fs:16 = the thread
 *                        pointer (tcbhead_t tcb and self); struct rseq at +2336
 * 0x7fffffff0000   rw-   the stack, 64 KiB up to STACK_TOP = 0x7ffffffff000
 * </pre>
 *
 * <p><b>Where the machine differs.</b> The thread pointer and the stack are at fixed addresses
 * here ({@link #THREAD_POINTER}, {@link #STACK_TOP}, as glibc's main thread on the calibration
 * host), while the machine places each thread's stack and TLS block top-down below {@link
 * UserLayout#MMAP_BASE}, as {@code pthread_create()} does (its first thread gets FS base
 * 0x7fffdffee000 and stack top 0x7fffe0000000); {@code vcpusim asm}'s output shows these
 * addresses ({@code fs_base}, {@code stack_top}) and its tests pin them. The machine's thread
 * starts with {@code cpu_id} = {@code RSEQ_CPU_ID_UNINITIALIZED} and registers rseq before its
 * first instruction; here the area already holds the result of that registration and of the
 * first return to user on CPU 0.
 *
 * <p>The three libc symbols are extern symbols of the program ({@link
 * Layout#withExternSymbol}): the file uses them and must not define them. Their page is below the
 * image and within 2 GiB of it, so {@code __rseq_offset(%rip)} reaches it as it reaches the
 * copy-relocated slot of a non-PIE executable (reference userspace.md §3). {@code __rseq_offset}
 * = {@value #RSEQ_OFFSET} is where glibc 2.35-2.39 keep the area inside {@code struct pthread}
 * and the value the calibration host's glibc 2.36 reports (benchmarks/calibrate/README.md); it is
 * a multiple of 32, so the area is 32-byte aligned. {@code __rseq_size} = {@link
 * UserLayout#RSEQ_REGISTERED_SIZE} (32) as glibc 2.35-2.39 report it (kernel.md §2.1). Every byte
 * not named here is 0. The driver is a separate unit, so the file's line numbers and symbols are
 * its own; its symbols are not in the program's symbol table.
 *
 * <p><b>rseq.</b> The area holds what a successful registration with signature {@link
 * RseqAbi#RSEQ_SIG_X86} (0x53053053) and length 32 leaves, plus the kernel's first return to user
 * on CPU 0: {@code cpu_id_start} = {@code cpu_id} = 0, {@code rseq_cs} = 0, {@code flags} = 0,
 * {@code node_id} = 0, {@code mm_cid} = 0. No kernel runs here: nothing rewrites the area, no
 * preemption, migration or signal happens, so no critical section is ever aborted.
 *
 * <p><b>Driver.</b> Registers at the driver's start: RBX = the entry address, R12 = the number of
 * calls, RSP = {@link #STACK_TOP}, the FS base = {@link #THREAD_POINTER}, the GS base as asked,
 * every other register and flag 0. The loop is {@code 1: call *%rbx; decq %r12; jnz 1b}, the
 * shape of the native calibration's {@code calib_call_loop}; RBX and R12 are callee-saved in the
 * SysV ABI, so the routine must preserve them (and RSP).
 *
 * <p>Immutable after {@link #build}; {@link #freshSpace()} hands out independent copies of the
 * initial memory.
 */
public final class ProcessImage {
  /**
   * The page holding the call driver: the machine's exit-sentinel page, so that the image's fixed
   * pages are the machine's ({@link UserLayout#LIBC_DATA_ADDRESS} up to {@link
   * UserLayout#FIXED_PAGES_END}).
   */
  public static final long DRIVER_TEXT = UserLayout.EXIT_PAGE_ADDRESS;
  /** The thread pointer (FS base); fixed here, placed by {@code mmap} in the machine. */
  public static final long THREAD_POINTER = 0x7ffff7d8a000L;
  /** glibc's {@code __rseq_offset}: the rseq area's offset from the thread pointer. */
  public static final long RSEQ_OFFSET = UserLayout.RSEQ_OFFSET;
  /** One past the highest stack byte, and RSP at each call; fixed here, as the thread pointer. */
  public static final long STACK_TOP = 0x7ffffffff000L;
  /** Size of the stack mapping: the machine's default thread stack. */
  static final long STACK_BYTES = UserLayout.DEFAULT_STACK_BYTES;
  /** The CPU whose first return to user the rseq area shows (its node and cid are 0 too). */
  static final int CPU = 0;
  /** Address-space id of the process (tags its cache lines). */
  static final int ASID = 1;

  /** The call driver, assembled at {@link #DRIVER_TEXT}. */
  static final String DRIVER_SOURCE =
      "        .text\n"
          + "__vcpusim_call_loop:                 # rbx = routine, r12 = calls (>= 1)\n"
          + "1:      call    *%rbx\n"
          + "        decq    %r12\n"
          + "        jnz     1b\n"
          + "        ud2                          # not executed: the runner stops at the exit\n";

  static final String DRIVER_FILE = "<driver>";

  private final AssembledProgram program;
  private final AddressSpace initial;
  private final long driverCall;
  private final long driverReturn;
  private final long driverLoopBranch;
  private final long driverEnd;

  private ProcessImage(AssembledProgram program, AddressSpace initial, AssembledProgram driver) {
    this.program = program;
    this.initial = initial;
    this.driverCall = driver.instruction(0).address;
    this.driverReturn = driver.instruction(0).nextAddress();
    this.driverLoopBranch = driver.instruction(2).address;
    this.driverEnd = driver.sections().get(0).end();
  }

  /**
   * The layout the program is assembled with: defaults plus the libc extern symbols, the
   * machine's {@link UserLayout#programLayout()}.
   */
  public static Layout programLayout() {
    return UserLayout.programLayout();
  }

  /**
   * Assembles {@code source} against the libc symbols, links it with the driver and maps the
   * whole process.
   *
   * @throws org.vcpusim.cpu.asm.AsmException for an error in the source
   * @throws RoutineInputException when a section of the program lies on one of the fixed regions
   */
  public static ProcessImage build(String source, String fileName) {
    AssembledProgram user = Assembler.assemble(source, fileName, programLayout());
    AssembledProgram driver = Assembler.assemble(DRIVER_SOURCE, DRIVER_FILE,
        Layout.defaults().withTextAddress(DRIVER_TEXT));
    checkPlacement(user);
    AssembledProgram linked = link(user, driver);
    AddressSpace space = new AddressSpace(ASID);
    Loader.load(linked, space);
    mapLibcData(space);
    mapThread(space);
    space.map(STACK_TOP - STACK_BYTES, STACK_BYTES, AddressSpace.READ | AddressSpace.WRITE);
    return new ProcessImage(linked, space, driver);
  }

  private static void checkPlacement(AssembledProgram user) {
    long[][] fixed = {
      {UserLayout.LIBC_DATA_ADDRESS, UserLayout.FIXED_PAGES_END},
      {THREAD_POINTER - UserLayout.TLS_STATIC_BYTES, THREAD_POINTER + UserLayout.TCB_BYTES},
      {STACK_TOP - STACK_BYTES, STACK_TOP},
    };
    String[] names = {"libc data and driver pages", "TLS block", "stack"};
    for (Section s : user.sections()) {
      long start = s.address() & -AddressSpace.PAGE_SIZE;
      long end = (s.end() + AddressSpace.PAGE_SIZE - 1) & -AddressSpace.PAGE_SIZE;
      for (int i = 0; i < fixed.length; i++) {
        if (start < fixed[i][1] && fixed[i][0] < end) {
          throw new RoutineInputException(String.format(Locale.ROOT,
              "%s: section %s (%#x..%#x) overlaps the runner's %s (%#x..%#x)",
              user.fileName(), s.name(), s.address(), s.end(), names[i], fixed[i][0],
              fixed[i][1]));
        }
      }
    }
  }

  /**
   * One program of both units: sections side by side, the file's symbols only (the driver's are
   * private), instructions in address order re-indexed.
   */
  private static AssembledProgram link(AssembledProgram user, AssembledProgram driver) {
    List<Section> sections = new ArrayList<>(user.sections());
    sections.addAll(driver.sections());
    List<Instruction> all = new ArrayList<>(user.instructions());
    all.addAll(driver.instructions());
    all.sort(Comparator.comparingLong(i -> i.address));
    List<Instruction> indexed = new ArrayList<>(all.size());
    for (Instruction i : all) {
      indexed.add(new Instruction(i.address, i.length, indexed.size(), i.opcode, i.condition,
          i.lock, i.size, List.of(i.operands), i.target, i.source, i.text));
    }
    return new AssembledProgram(user.fileName(), sections, new TreeMap<>(user.symbols()),
        indexed);
  }

  /** The machine's libc data page of a process whose libc registered rseq. */
  private static void mapLibcData(AddressSpace space) {
    space.map(UserLayout.LIBC_DATA_ADDRESS, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    write(space, UserLayout.LIBC_DATA_ADDRESS,
        UserLayout.libcData(UserLayout.RSEQ_REGISTERED_SIZE));
  }

  private static void mapThread(AddressSpace space) {
    space.map(THREAD_POINTER - UserLayout.TLS_STATIC_BYTES, UserLayout.TLS_BLOCK_BYTES,
        AddressSpace.READ | AddressSpace.WRITE);
    write(space, THREAD_POINTER + UserLayout.TCB_SELF_OFFSET, THREAD_POINTER, 8);
    write(space, THREAD_POINTER + UserLayout.TCB_HEAD_SELF_OFFSET, THREAD_POINTER, 8);
    // struct rseq after registration (rseq_cs and flags stay 0) and the first return to user on
    // CPU 0 (node 0, cid 0): the id fields RseqIdUpdate writes.
    long area = rseqArea();
    write(space, area + RseqAbi.CPU_ID_START_OFFSET, CPU, 4);
    write(space, area + RseqAbi.CPU_ID_OFFSET, CPU, 4);
    write(space, area + RseqAbi.NODE_ID_OFFSET, 0, 4);
    write(space, area + RseqAbi.MM_CID_OFFSET, 0, 4);
  }

  private static void write(AddressSpace space, long address, long value, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    write(space, address, b);
  }

  private static void write(AddressSpace space, long address, byte[] b) {
    if (!space.writeIgnoringPermissions(address, b, 0, b.length)) {
      throw new IllegalStateException(String.format(Locale.ROOT, "cannot write %#x", address));
    }
  }

  /** The linked program (the file's instructions and the driver's, in address order). */
  public AssembledProgram program() {
    return program;
  }

  /** A copy of the initial memory under the process's address-space id. */
  AddressSpace freshSpace() {
    return initial.fork(ASID);
  }

  /** The initial memory itself (not a copy). */
  AddressSpace initialSpace() {
    return initial;
  }

  /** A context at the driver's start that calls {@code entry} {@code calls} times. */
  ThreadContext driverContext(long entry, long calls, long gsBase) {
    ThreadContext c = new ThreadContext();
    c.set(Registers.RBX, entry);
    c.set(Registers.R12, calls);
    c.set(Registers.RSP, STACK_TOP);
    c.setFsBase(THREAD_POINTER);
    c.setGsBase(gsBase);
    c.setRip(driverCall);
    return c;
  }

  /** True when {@code address} is in the driver's code rather than the file's. */
  boolean isDriver(long address) {
    return address >= DRIVER_TEXT && address < driverEnd;
  }

  /** Address of the driver's {@code call *%rbx}. */
  long driverCall() {
    return driverCall;
  }

  /** The return address the routine's {@code ret} goes back to (the driver's {@code decq}). */
  long driverReturn() {
    return driverReturn;
  }

  /** Address of the driver's loop branch; not taken after the last call. */
  long driverLoopBranch() {
    return driverLoopBranch;
  }

  /** Address of the rseq area. */
  public static long rseqArea() {
    return UserLayout.rseqArea(THREAD_POINTER);
  }
}
