package org.vcpusim.kernel.machine;

import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.Loader;
import org.vcpusim.kernel.mm.MemoryMaps;
import org.vcpusim.kernel.mm.VmAreas;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * Puts {@link UserLayout} into a process: the image and the machine's fixed pages of a new (or
 * exec'd) address space ({@code load_elf_binary()} plus what ld.so sets up), the stack, TLS block
 * and start registers of a thread ({@code start_thread()} of the kernel and of glibc), and glibc's
 * rseq registration.
 *
 * <p><b>Caveats:</b> package-private helper of one machine; not thread-safe.
 */
final class UserSetup {
  /** Argument registers of the System V calling convention, in order. */
  private static final int[] ARG_REGISTERS = {
    Registers.RDI, Registers.RSI, Registers.RDX, Registers.RCX, Registers.R8, Registers.R9
  };
  /** The registers an {@code rseq} system call reads or clobbers, saved around libc's call. */
  private static final int[] RSEQ_CALL_REGISTERS = {
    Registers.RAX, Registers.RDI, Registers.RSI, Registers.RDX, Registers.R10
  };
  private static final long PAGE = AddressSpace.PAGE_SIZE;

  private final MemoryMaps memoryMaps;
  private final SyscallHandler rseqSyscall;
  private final SyscallContext call;

  UserSetup(MemoryMaps memoryMaps, SyscallHandler rseqSyscall, SyscallContext call) {
    this.memoryMaps = memoryMaps;
    this.rseqSyscall = rseqSyscall;
    this.call = call;
  }

  /**
   * Starts the range list of {@code p}, loads {@code program} into its (fresh) address space and
   * maps the exit page and the libc data page.
   *
   * @throws IllegalArgumentException when the image overlaps the fixed pages
   */
  void loadImage(Process p, AssembledProgram program, boolean libcRseq) {
    VmAreas areas = memoryMaps.create(p.pid());
    AddressSpace space = p.addressSpace();
    Loader.load(program, space);
    for (Section s : program.sections()) {
      if (s.bytes().length > 0) {
        memoryMaps.reserve(p, s.address(), s.end());
      }
    }
    if (!areas.isFree(UserLayout.LIBC_DATA_ADDRESS, UserLayout.FIXED_PAGES_END)) {
      throw new IllegalArgumentException(
          program.fileName() + " overlaps the machine's fixed pages");
    }
    space.map(UserLayout.EXIT_PAGE_ADDRESS, PAGE, AddressSpace.READ | AddressSpace.EXECUTE);
    memoryMaps.reserve(p, UserLayout.EXIT_PAGE_ADDRESS, UserLayout.EXIT_PAGE_ADDRESS + PAGE);
    space.map(UserLayout.LIBC_DATA_ADDRESS, PAGE, AddressSpace.READ);
    memoryMaps.reserve(p, UserLayout.LIBC_DATA_ADDRESS, UserLayout.LIBC_DATA_ADDRESS + PAGE);
    byte[] libc = UserLayout.libcData(libcRseq ? UserLayout.RSEQ_REGISTERED_SIZE : 0);
    space.writeIgnoringPermissions(UserLayout.LIBC_DATA_ADDRESS, libc, 0, libc.length);
  }

  /**
   * Maps a stack and a TLS block for a thread of {@code p} and sets {@code ctx} to start at {@code
   * entry} with {@code args} and {@code returnAddress} on the stack; every other register is 0.
   */
  void setUpThread(Process p, ThreadContext ctx, long entry, long[] args, long returnAddress,
      ProcessOptions options) {
    int rw = AddressSpace.READ | AddressSpace.WRITE;
    long stack = memoryMaps.mapKernel(p, options.stackBytes(), UserLayout.STACK_GUARD_BYTES, rw);
    long tls = memoryMaps.mapKernel(p, UserLayout.TLS_BLOCK_BYTES, 0, rw);
    long tp = tls + UserLayout.TLS_STATIC_BYTES;
    AddressSpace s = p.addressSpace();
    poke(s, tp + UserLayout.TCB_SELF_OFFSET, 8, tp);
    poke(s, tp + UserLayout.TCB_HEAD_SELF_OFFSET, 8, tp);
    poke(s, UserLayout.rseqArea(tp) + RseqAbi.CPU_ID_OFFSET, 4,
        options.libcRseq()
            ? RseqAbi.RSEQ_CPU_ID_UNINITIALIZED
            : RseqAbi.RSEQ_CPU_ID_REGISTRATION_FAILED);
    long rsp = stack + options.stackBytes() - 8;
    poke(s, rsp, 8, returnAddress);
    for (int r = 0; r < Registers.COUNT; r++) {
      ctx.set(r, 0);
    }
    ctx.setRflags(0);
    ctx.setGsBase(0);
    ctx.setFsBase(tp);
    ctx.setRip(entry);
    ctx.set(Registers.RSP, rsp);
    for (int i = 0; i < args.length; i++) {
      ctx.set(ARG_REGISTERS[i], args[i]);
    }
  }

  /**
   * glibc's {@code rseq_register_current_thread()}: the {@code rseq} system call on {@code t}'s
   * area (length {@link UserLayout#RSEQ_REGISTERED_SIZE}, flags 0, {@link RseqAbi#RSEQ_SIG_X86}),
   * made on {@code cpu} with the thread's registers restored afterwards; on failure {@code cpu_id}
   * is left at {@code RSEQ_CPU_ID_REGISTRATION_FAILED}.
   *
   * @return whether the registration succeeded
   */
  boolean registerRseq(Task t, int cpu) {
    ThreadContext ctx = t.context();
    long area = UserLayout.rseqArea(ctx.fsBase());
    long[] saved = new long[RSEQ_CALL_REGISTERS.length];
    for (int i = 0; i < saved.length; i++) {
      saved[i] = ctx.get(RSEQ_CALL_REGISTERS[i]);
    }
    ctx.set(Registers.RAX, SyscallNumbers.RSEQ);
    ctx.set(Registers.RDI, area);
    ctx.set(Registers.RSI, UserLayout.RSEQ_REGISTERED_SIZE);
    ctx.set(Registers.RDX, 0);
    ctx.set(Registers.R10, RseqAbi.RSEQ_SIG_X86 & 0xFFFF_FFFFL);
    call.begin(t, cpu);
    long result = rseqSyscall.call(call);
    for (int i = 0; i < saved.length; i++) {
      ctx.set(RSEQ_CALL_REGISTERS[i], saved[i]);
    }
    if (result != 0) {
      poke(t.process().addressSpace(), area + RseqAbi.CPU_ID_OFFSET, 4,
          RseqAbi.RSEQ_CPU_ID_REGISTRATION_FAILED);
      return false;
    }
    return true;
  }

  /** A kernel write to memory the machine itself mapped read-write; failing is a bug. */
  private static void poke(AddressSpace s, long address, int size, long value) {
    if (!s.store(address, size, value)) {
      s.clearFault();
      throw new IllegalStateException("kernel write at 0x" + Long.toHexString(address) + " failed");
    }
  }
}
