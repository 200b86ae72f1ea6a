package org.vcpusim.kernel.rseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.testing.KernelFixture.AREA;
import static org.vcpusim.kernel.testing.KernelFixture.SIG;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;
import org.vcpusim.kernel.testing.KernelFixture;

/** Every registration and unregistration path of {@code sys_rseq}, against kernel/rseq.c. */
class RseqSyscallTest {
  private static final long EINVAL = Errno.fail(Errno.EINVAL);
  private static final long EPERM = Errno.fail(Errno.EPERM);
  private static final long EBUSY = Errno.fail(Errno.EBUSY);
  private static final long EFAULT = Errno.fail(Errno.EFAULT);

  /** One row: a set-up, the four arguments, the expected RAX and registration state after. */
  record Row(String name, Consumer<KernelFixture.Ctx> setup, long ptr, long len, long flags,
      long sig, long expect, boolean registeredAfter) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Consumer<KernelFixture.Ctx> nothing() {
    return c -> { };
  }

  static Consumer<KernelFixture.Ctx> registered() {
    return c -> c.fixture().register(c.task(), AREA);
  }

  static Stream<Arguments> rows() {
    long unregister = RseqAbi.RSEQ_FLAG_UNREGISTER;
    return Stream.of(
        new Row("register: 32 bytes, aligned", nothing(), AREA, 32, 0, SIG, 0, true),
        new Row("register: len 31 < ORIG_RSEQ_SIZE", nothing(), AREA, 31, 0, SIG, EINVAL, false),
        new Row("register: len 0", nothing(), AREA, 0, 0, SIG, EINVAL, false),
        new Row("register: len 32 misaligned by 16", nothing(), AREA + 16, 32, 0, SIG, EINVAL,
            false),
        new Row("register: len 32 misaligned by 4", nothing(), AREA + 4, 32, 0, SIG, EINVAL,
            false),
        new Row("register: len 64 aligned >= feature size", nothing(), AREA, 64, 0, SIG, 0, true),
        new Row("register: len 64 misaligned", nothing(), AREA + 16, 64, 0, SIG, EINVAL, false),
        new Row("register: len truncated to u32 (2^32 + 32)", nothing(), AREA, (1L << 32) + 32, 0,
            SIG, 0, true),
        new Row("register: unknown flag 2", nothing(), AREA, 32, 2, SIG, EINVAL, false),
        new Row("register: pointer beyond user space", nothing(), AddressSpace.USER_LIMIT - 16,
            32, 0, SIG, EINVAL, false),
        new Row("register: aligned pointer at the very top (access_ok fails)", nothing(),
            AddressSpace.USER_LIMIT, 32, 0, SIG, EFAULT, false),
        new Row("register: kernel-half pointer", nothing(), 0xffff_8000_0000_0000L, 32, 0, SIG,
            EFAULT, false),
        new Row("register: unmapped", nothing(), 0x7000_0000L, 32, 0, SIG, EFAULT, false),
        new Row("re-register: same area, same sig", registered(), AREA, 32, 0, SIG, EBUSY, true),
        new Row("re-register: same area, other sig", registered(), AREA, 32, 0, SIG + 1, EPERM,
            true),
        new Row("re-register: other area", registered(), AREA + 32, 32, 0, SIG, EINVAL, true),
        new Row("re-register: other length", registered(), AREA, 64, 0, SIG, EINVAL, true),
        new Row("re-register: other area and other sig (EINVAL first)", registered(), AREA + 32,
            32, 0, SIG + 1, EINVAL, true),
        new Row("unregister: nothing registered", nothing(), AREA, 32, unregister, SIG, EINVAL,
            false),
        new Row("unregister: other pointer", registered(), AREA + 32, 32, unregister, SIG, EINVAL,
            true),
        new Row("unregister: other length", registered(), AREA, 64, unregister, SIG, EINVAL, true),
        new Row("unregister: other sig", registered(), AREA, 32, unregister, SIG + 1, EPERM, true),
        new Row("unregister: extra flag bit", registered(), AREA, 32, unregister | 2, SIG, EINVAL,
            true),
        new Row("unregister: matching", registered(), AREA, 32, unregister, SIG, 0, false),
        new Row("unregister: area unmapped since", c -> {
          c.fixture().register(c.task(), AREA);
          c.task().process().addressSpace().unmap(KernelFixture.DATA, AddressSpace.PAGE_SIZE);
        }, AREA, 32, unregister, SIG, EFAULT, true))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void registrationTable(Row row) {
    KernelFixture f = KernelFixture.legacy(4, 2);
    Task t = f.process("p", 1);
    row.setup().accept(new KernelFixture.Ctx(f, t));
    long r = f.syscall(t, SyscallNumbers.RSEQ, row.ptr(), row.len(), row.flags(), row.sig());
    assertEquals(row.expect(), r, row.name());
    assertEquals(row.registeredAfter(), f.rseq.isRegistered(t.tid()), row.name());
  }

  @Test
  void successfulRegistrationRecordsTheAreaAndRaisesNotifyResume() {
    KernelFixture f = KernelFixture.legacy(4, 2);
    Task t = f.process("p", 3);
    t.clearWork(TaskWork.NOTIFY_RESUME);
    f.register(t, AREA);
    assertEquals(AREA, f.rseq.area(t.tid()));
    assertEquals(32, f.rseq.length(t.tid()));
    assertEquals(SIG, f.rseq.signature(t.tid()));
    assertTrue(t.hasWork(TaskWork.NOTIFY_RESUME));
    assertEquals(1, f.rseq.registrations());
    // The ids appear on the way out.
    assertTrue(f.returnToUser(t, 1));
    assertEquals(3, KernelFixture.u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET));
    assertEquals(3, KernelFixture.u32(t, AREA + RseqAbi.CPU_ID_OFFSET));
    assertEquals(1, KernelFixture.u32(t, AREA + RseqAbi.NODE_ID_OFFSET));
    assertEquals(3, KernelFixture.u32(t, AREA + RseqAbi.MM_CID_OFFSET));
    assertFalse(t.hasWork(TaskWork.NOTIFY_RESUME));
  }

  @Test
  void registrationClearsAStaleRseqCs() {
    KernelFixture f = KernelFixture.legacy(2, 1);
    Task t = f.process("p", 0);
    KernelFixture.putU64(t, AREA + RseqAbi.RSEQ_CS_OFFSET, 0xdead_beefL);
    f.register(t, AREA);
    assertEquals(0, KernelFixture.u64(t, AREA + RseqAbi.RSEQ_CS_OFFSET));
  }

  @Test
  void staleRseqCsOnAReadOnlyAreaIsEfault() {
    KernelFixture f = KernelFixture.legacy(2, 1);
    Task t = f.process("p", 0);
    KernelFixture.putU64(t, AREA + RseqAbi.RSEQ_CS_OFFSET, KernelFixture.DESC);
    t.process().addressSpace().protect(KernelFixture.DATA, AddressSpace.PAGE_SIZE,
        AddressSpace.READ);
    assertEquals(EFAULT, f.syscall(t, SyscallNumbers.RSEQ, AREA, 32, 0, SIG));
    assertFalse(f.rseq.isRegistered(t.tid()));
  }

  @Test
  void readOnlyAreaRegistersAndTheIdWriteKills() {
    // kernel/rseq.c only probes the rseq_cs field at registration: a read-only area with a NULL
    // rseq_cs is accepted, and the first id write on the way out is a SIGSEGV.
    KernelFixture f = KernelFixture.legacy(2, 1);
    Task t = f.process("p", 0);
    t.process().addressSpace().protect(KernelFixture.DATA, AddressSpace.PAGE_SIZE,
        AddressSpace.READ);
    f.register(t, AREA);
    assertFalse(f.returnToUser(t, 1));
    assertEquals(SignalNumbers.SIGSEGV, f.kernel.lastKill().signal());
    assertTrue(f.kernel.lastKill().reason().contains("cannot write the id fields"),
        f.kernel.lastKill().reason());
    assertTrue(f.kernel.lastKill().reason().contains("WRITE_PROTECTED"),
        f.kernel.lastKill().reason());
  }

  @Test
  void unregistrationResetsTheIdFields() {
    KernelFixture f = KernelFixture.legacy(4, 2);
    Task t = f.process("p", 2);
    f.register(t, AREA);
    f.kernel.setCid(t, 1);
    assertTrue(f.returnToUser(t, 1));
    assertEquals(1, KernelFixture.u32(t, AREA + RseqAbi.MM_CID_OFFSET));
    assertEquals(0, f.syscall(t, SyscallNumbers.RSEQ, AREA, 32, RseqAbi.RSEQ_FLAG_UNREGISTER,
        SIG));
    assertEquals(0, KernelFixture.u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET));
    assertEquals(RseqAbi.RSEQ_CPU_ID_UNINITIALIZED,
        KernelFixture.u32(t, AREA + RseqAbi.CPU_ID_OFFSET));
    assertEquals(0, KernelFixture.u32(t, AREA + RseqAbi.NODE_ID_OFFSET));
    assertEquals(0, KernelFixture.u32(t, AREA + RseqAbi.MM_CID_OFFSET));
    assertEquals(1, f.rseq.unregistrations());
    // Registering again works and a preemption no longer matters before it.
    f.register(t, AREA);
    assertTrue(f.rseq.isRegistered(t.tid()));
  }

  @Test
  void featureSizeAboveTheLengthIsEinval() {
    KernelFixture f = new KernelFixture(2, 1,
        KernelFixture.legacyConfig().withFeatureSize(64));
    Task t = f.process("p", 0);
    assertEquals(EINVAL, f.syscall(t, SyscallNumbers.RSEQ, AREA, 48, 0, SIG));
    // ORIG_RSEQ_SIZE stays acceptable whatever the feature size.
    assertEquals(0, f.syscall(t, SyscallNumbers.RSEQ, AREA, 32, 0, SIG));
  }

  @Test
  void flagsAreTruncatedToInt() {
    KernelFixture f = KernelFixture.legacy(2, 1);
    Task t = f.process("p", 0);
    // int flags: bits above 31 are dropped by SYSCALL_DEFINE's cast.
    assertEquals(0, f.syscall(t, SyscallNumbers.RSEQ, AREA, 32, 1L << 40, SIG));
  }
}
