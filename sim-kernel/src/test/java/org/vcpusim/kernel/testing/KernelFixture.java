package org.vcpusim.kernel.testing;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.membarrier.Membarrier;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.rseq.RseqConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.signal.Signals;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.Task;

/**
 * The three subsystems wired as a machine builder wires them ({@link Signals#install}, {@link
 * Rseq#install}, {@link Membarrier#install}) over a {@link FakeKernel}, with a standard user
 * image: a librseq-style per-CPU counter increment as real x86-64 machine code, its {@code struct
 * rseq_cs} in a read-only page, an rseq area, a counter and a stack. {@link #syscall} and {@link
 * #returnToUser} do what the machine does around a handler and at the exit to user mode.
 *
 * <p>The code at {@link #CODE} (AT&amp;T syntax, %rdi = the rseq area, %rdx = the counter):
 *
 * <pre>
 * 400000: 8b 37              retry: mov    (%rdi),%esi             # cpu = rseq->cpu_id_start
 * 400002: 48 8d 05 f7 0f 00 00     lea    cs_desc(%rip),%rax      # &amp;rseq_cs descriptor
 * 400009: 48 89 47 08              mov    %rax,0x8(%rdi)          # rseq->rseq_cs = &amp;cs_desc
 * 40000d: 39 77 04           start: cmp    %esi,0x4(%rdi)          # cpu == rseq->cpu_id ?
 * 400010: 0f 85 12 00 00 00        jne    abort
 * 400016: 48 8b 0a                 mov    (%rdx),%rcx
 * 400019: 48 83 c1 01              add    $0x1,%rcx
 * 40001d: 48 89 0a                 mov    %rcx,(%rdx)             # commit
 * 400020: c3           post_commit: ret
 * 400021: 0f b9 3d 53 30 05 53     ud1    0x53053053(%rip),%edi   # RSEQ_SIG
 * 400028: eb d6              abort: jmp    retry
 * </pre>
 */
public final class KernelFixture {
  /** A fixture and one of its tasks, for table-driven set-ups. */
  public record Ctx(KernelFixture fixture, Task task) {}

  public static final long CODE = 0x400000L;
  public static final long DESC = 0x401000L;
  public static final long DATA = 0x600000L;
  public static final long AREA = DATA;
  public static final long AREA2 = DATA + 0x40;
  public static final long COUNTER = DATA + 0x100;
  public static final long RESTORER = 0x402000L;
  public static final long HANDLER = 0x402100L;
  public static final long STACK_BASE = 0x7ffe0000L;
  public static final long STACK_SIZE = 0x10000L;
  public static final long STACK_TOP = STACK_BASE + STACK_SIZE;

  /** First instruction of the critical section. */
  public static final long START = CODE + 0xd;
  /** Length of the critical section (5 instructions). */
  public static final long POST_COMMIT_OFFSET = 19;
  /** First byte after the commit. */
  public static final long POST_COMMIT = START + POST_COMMIT_OFFSET;
  /** The abort handler, right after the signature. */
  public static final long ABORT = CODE + 0x28;
  /** Instruction addresses from the first one to the abort handler's. */
  public static final long[] INSTRUCTIONS = {
    CODE, CODE + 0x2, CODE + 0x9, START, START + 3, START + 9, START + 12, START + 16,
    POST_COMMIT, POST_COMMIT + 1, ABORT
  };

  public static final int SIG = RseqAbi.RSEQ_SIG_X86;

  private static final byte[] CODE_BYTES = {
    (byte) 0x8b, 0x37,
    0x48, (byte) 0x8d, 0x05, (byte) 0xf7, 0x0f, 0x00, 0x00,
    0x48, (byte) 0x89, 0x47, 0x08,
    0x39, 0x77, 0x04,
    0x0f, (byte) 0x85, 0x12, 0x00, 0x00, 0x00,
    0x48, (byte) 0x8b, 0x0a,
    0x48, (byte) 0x83, (byte) 0xc1, 0x01,
    0x48, (byte) 0x89, 0x0a,
    (byte) 0xc3,
    0x0f, (byte) 0xb9, 0x3d, 0x53, 0x30, 0x05, 0x53,
    (byte) 0xeb, (byte) 0xd6
  };

  public final FakeKernel kernel;
  public final SyscallTable table = new SyscallTable();
  public final ReturnToUser returnToUser = new ReturnToUser();
  public final Signals signals;
  public final Rseq rseq;
  public final Membarrier membarrier;
  /** Tasks {@link org.vcpusim.kernel.signal.SignalWakeup} was called for. */
  public final List<Task> wakeups = new ArrayList<>();

  /** Cycle costs the fixture passes in (distinct, to tell the charges apart). */
  public static final long ID_UPDATE_CYCLES = 40;
  public static final long CS_CHECK_CYCLES = 7;
  public static final long DELIVERY_CYCLES = 900;
  public static final long IPI_CYCLES = 1000;

  /** Legacy id updates charged {@link #ID_UPDATE_CYCLES}, CS checks {@link #CS_CHECK_CYCLES}. */
  public static RseqConfig legacyConfig() {
    return RseqConfig.of(RseqIdUpdatePolicy.LEGACY, ID_UPDATE_CYCLES, CS_CHECK_CYCLES);
  }

  /** A fixture of {@code cpus} CPUs, {@code cpusPerNode} per node, with {@link #legacyConfig}. */
  public static KernelFixture legacy(int cpus, int cpusPerNode) {
    return new KernelFixture(cpus, cpusPerNode, legacyConfig());
  }

  public KernelFixture(int cpus, int cpusPerNode, RseqConfig config) {
    kernel = new FakeKernel(cpus, cpusPerNode);
    signals = Signals.install(table, returnToUser, kernel, wakeups::add, DELIVERY_CYCLES);
    rseq = Rseq.install(table, returnToUser, signals, kernel, config);
    membarrier = Membarrier.install(table, kernel, rseq, IPI_CYCLES);
  }

  /** A process with the standard image, its first thread on {@code cpu}, RSP at the stack top. */
  public Task process(String name, int cpu) {
    Task t = kernel.newProcess(name);
    AddressSpace m = t.process().addressSpace();
    m.map(CODE, AddressSpace.PAGE_SIZE, AddressSpace.READ | AddressSpace.EXECUTE);
    m.writeIgnoringPermissions(CODE, CODE_BYTES, 0, CODE_BYTES.length);
    m.map(DESC, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    m.map(RESTORER, AddressSpace.PAGE_SIZE, AddressSpace.READ | AddressSpace.EXECUTE);
    m.map(DATA, AddressSpace.PAGE_SIZE, AddressSpace.READ | AddressSpace.WRITE);
    m.map(STACK_BASE, STACK_SIZE, AddressSpace.READ | AddressSpace.WRITE);
    writeDescriptor(t, 0, 0, START, POST_COMMIT_OFFSET, ABORT);
    t.context().set(Registers.RSP, STACK_TOP - 0x100);
    t.context().setRip(CODE);
    kernel.run(t, cpu);
    return t;
  }

  /** A second thread of {@code leader}'s process on {@code cpu}. */
  public Task thread(Task leader, String name, int cpu) {
    Task t = kernel.newThread(leader.process(), name);
    t.context().set(Registers.RSP, STACK_TOP - 0x4000 * (t.tid()));
    t.context().setRip(CODE);
    kernel.run(t, cpu);
    rseq.onFork(leader, t, true);
    signals.onClone(leader, t, false);
    return t;
  }

  /** Writes a {@code struct rseq_cs} at {@link #DESC}. */
  public static void writeDescriptor(Task t, int version, int flags, long start, long postCommit,
      long abort) {
    AddressSpace m = t.process().addressSpace();
    byte[] b = new byte[RseqAbi.RSEQ_CS_SIZE];
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bb.putInt(RseqAbi.CS_VERSION_OFFSET, version);
    bb.putInt(RseqAbi.CS_FLAGS_OFFSET, flags);
    bb.putLong(RseqAbi.CS_START_IP_OFFSET, start);
    bb.putLong(RseqAbi.CS_POST_COMMIT_OFFSET_OFFSET, postCommit);
    bb.putLong(RseqAbi.CS_ABORT_IP_OFFSET, abort);
    m.writeIgnoringPermissions(DESC, b, 0, b.length);
  }

  /**
   * Does what the machine does for a {@code syscall}: dispatches RAX through the table with the
   * arguments in RDI, RSI, RDX, R10, R8, R9 and writes the result to RAX unless the handler said
   * not to.
   */
  public long syscall(Task t, int nr, long... args) {
    SyscallContext c = kernel.syscall(t, nr, args);
    SyscallHandler h = table.handler(nr);
    long r = h == null ? Errno.fail(Errno.ENOSYS) : h.call(c);
    if (!c.hasNoReturnValue()) {
      t.context().set(Registers.RAX, r);
    }
    return r;
  }

  /** {@code sys_rseq(area, 32, 0, SIG)} for {@code t}; asserts success. */
  public void register(Task t, long area) {
    long r = syscall(t, SyscallNumbers.RSEQ, area, RseqAbi.ORIG_RSEQ_SIZE, 0, SIG);
    if (r != 0) {
      throw new AssertionError("rseq registration failed: " + r);
    }
  }

  /** Runs the return-to-user pipeline for {@code t} on its CPU; false when it was killed. */
  public boolean returnToUser(Task t, int reasons) {
    ExitToUser exit = kernel.exit(t, reasons);
    return returnToUser.run(exit);
  }

  /** A u32 of {@code t}'s memory, ignoring permissions. */
  public static int u32(Task t, long address) {
    byte[] b = new byte[4];
    if (!t.process().addressSpace().readIgnoringPermissions(address, b, 0, 4)) {
      throw new AssertionError("unmapped " + Long.toHexString(address));
    }
    return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** A u64 of {@code t}'s memory, ignoring permissions. */
  public static long u64(Task t, long address) {
    byte[] b = new byte[8];
    if (!t.process().addressSpace().readIgnoringPermissions(address, b, 0, 8)) {
      throw new AssertionError("unmapped " + Long.toHexString(address));
    }
    return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Writes a u64 into {@code t}'s memory, ignoring permissions. */
  public static void putU64(Task t, long address, long value) {
    byte[] b = new byte[8];
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value);
    t.process().addressSpace().writeIgnoringPermissions(address, b, 0, 8);
  }

  /** Writes a u32 into {@code t}'s memory, ignoring permissions. */
  public static void putU32(Task t, long address, int value) {
    byte[] b = new byte[4];
    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value);
    t.process().addressSpace().writeIgnoringPermissions(address, b, 0, 4);
  }

  /**
   * Puts {@code t} at {@code ip} as if it had executed the two instructions that publish the
   * descriptor ({@code rseq->rseq_cs = DESC}).
   */
  public static void at(Task t, long area, long ip) {
    putU64(t, area + RseqAbi.RSEQ_CS_OFFSET, DESC);
    t.context().setRip(ip);
  }
}
