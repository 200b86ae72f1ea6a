package org.vcpusim.kernel.rseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.testing.KernelFixture.AREA;
import static org.vcpusim.kernel.testing.KernelFixture.u32;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.testing.KernelFixture;

/**
 * The id fields in user memory under both policies, after preemption, migration, a cid change and
 * a signal, in the manner of the kernel's {@code legacy_check} selftest: user space overwrites
 * {@code cpu_id_start} with a sentinel and checks whether the kernel rewrote it.
 */
class RseqIdUpdateTest {
  private static final int SENTINEL = -1;
  private static final int CPUS = 8;
  private static final int CPUS_PER_NODE = 4;

  private static KernelFixture fixture(RseqIdUpdatePolicy policy) {
    return new KernelFixture(CPUS, CPUS_PER_NODE,
        RseqConfig.of(policy, KernelFixture.ID_UPDATE_CYCLES, KernelFixture.CS_CHECK_CYCLES));
  }

  /** Registers {@code t} and lets it return once so the ids are in memory. */
  private static void start(KernelFixture f, Task t) {
    f.register(t, AREA);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
  }

  private static void assertIds(Task t, int cpu, int node, int cid) {
    assertEquals(cpu, u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET), "cpu_id_start");
    assertEquals(cpu, u32(t, AREA + RseqAbi.CPU_ID_OFFSET), "cpu_id");
    assertEquals(node, u32(t, AREA + RseqAbi.NODE_ID_OFFSET), "node_id");
    assertEquals(cid, u32(t, AREA + RseqAbi.MM_CID_OFFSET), "mm_cid");
  }

  private static void clobberCpuIdStart(Task t) {
    KernelFixture.putU32(t, AREA + RseqAbi.CPU_ID_START_OFFSET, SENTINEL);
  }

  @Test
  void bothPoliciesWriteTheIdsAfterRegistration() {
    for (RseqIdUpdatePolicy policy : RseqIdUpdatePolicy.values()) {
      KernelFixture f = fixture(policy);
      Task t = f.process("p", 6);
      start(f, t);
      assertIds(t, 6, 1, 6);
      assertEquals(1, f.rseq.idUpdates(), policy.name());
      assertEquals(4, f.rseq.idFieldWrites(), policy.name());
      assertEquals(KernelFixture.ID_UPDATE_CYCLES, f.kernel.charged(CostCategory.RETURN_TO_USER));
    }
  }

  @Test
  void legacyRewritesAfterEveryPreemption() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.LEGACY);
    Task t = f.process("p", 2);
    start(f, t);
    clobberCpuIdStart(t);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertIds(t, 2, 0, 2);
    assertEquals(2, f.rseq.idUpdates());
  }

  @Test
  void onChangeLeavesTheIdsAloneAfterAPreemptionOnTheSameCpu() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.ON_CHANGE);
    Task t = f.process("p", 2);
    start(f, t);
    clobberCpuIdStart(t);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertEquals(SENTINEL, u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET));
    assertEquals(1, f.rseq.idUpdates());
  }

  @Test
  void bothPoliciesWriteAfterAMigration() {
    for (RseqIdUpdatePolicy policy : RseqIdUpdatePolicy.values()) {
      KernelFixture f = fixture(policy);
      Task t = f.process("p", 1);
      start(f, t);
      f.rseq.onPreempt(t);
      f.rseq.onMigrate(t);
      f.kernel.run(t, 5);
      assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN | ExitToUser.MIGRATED));
      assertIds(t, 5, 1, 5);
      assertEquals(2, f.rseq.idUpdates(), policy.name());
    }
  }

  @Test
  void onChangeWritesWhenOnlyTheCidChanged() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.ON_CHANGE);
    Task t = f.process("p", 3);
    start(f, t);
    f.kernel.setCid(t, 0);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertIds(t, 3, 0, 0);
    assertEquals(2, f.rseq.idUpdates());
  }

  @Test
  void legacyRewritesBeforeASignalFrameAndOnChangeDoesNot() {
    for (RseqIdUpdatePolicy policy : RseqIdUpdatePolicy.values()) {
      KernelFixture f = fixture(policy);
      Task t = f.process("p", 4);
      start(f, t);
      installHandler(f, t, SignalNumbers.SIGUSR1);
      clobberCpuIdStart(t);
      assertEquals(0, f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(),
          SignalNumbers.SIGUSR1));
      assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
      assertEquals(1, f.signals.deliveries(SignalNumbers.SIGUSR1));
      int seen = u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET);
      if (policy == RseqIdUpdatePolicy.LEGACY) {
        assertEquals(4, seen, "legacy rewrites before signal delivery");
        assertEquals(2, f.rseq.idUpdates());
      } else {
        assertEquals(SENTINEL, seen, "on-change leaves unchanged ids alone");
        assertEquals(1, f.rseq.idUpdates());
      }
    }
  }

  @Test
  void legacyWritesNothingWithoutAnEvent() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.LEGACY);
    Task t = f.process("p", 0);
    start(f, t);
    clobberCpuIdStart(t);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(SENTINEL, u32(t, AREA + RseqAbi.CPU_ID_START_OFFSET));
    assertEquals(1, f.rseq.idUpdates());
  }

  @Test
  void unregisteredTasksAreNotWritten() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.LEGACY);
    Task t = f.process("p", 0);
    f.rseq.onPreempt(t);
    assertFalse(t.hasWork(org.vcpusim.kernel.task.TaskWork.NOTIFY_RESUME));
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertEquals(0, f.rseq.idUpdates());
    assertEquals(0, u32(t, AREA + RseqAbi.CPU_ID_OFFSET));
  }

  @Test
  void anUnmappedAreaKillsWithSigsegv() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.LEGACY);
    Task t = f.process("p", 0);
    start(f, t);
    t.process().addressSpace().unmap(KernelFixture.DATA, AddressSpace.PAGE_SIZE);
    f.rseq.onPreempt(t);
    assertFalse(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertEquals(SignalNumbers.SIGSEGV, f.kernel.lastKill().signal());
    assertTrue(f.kernel.lastKill().reason().contains("NOT_MAPPED"), f.kernel.lastKill().reason());
    assertEquals(1, f.rseq.kills());
  }

  @Test
  void forkedChildInheritsTheRegistrationAndAThreadDoesNot() {
    KernelFixture f = fixture(RseqIdUpdatePolicy.LEGACY);
    Task parent = f.process("p", 0);
    start(f, parent);
    Task child = f.kernel.fork(parent);
    f.kernel.run(child, 7);
    f.rseq.onFork(parent, child, false);
    assertTrue(f.rseq.isRegistered(child.tid()));
    assertEquals(AREA, f.rseq.area(child.tid()));
    assertTrue(f.returnToUser(child, ExitToUser.SWITCHED_IN));
    assertIds(child, 7, 1, 7);
    assertIds(parent, 0, 0, 0);

    Task thread = f.thread(parent, "t", 3);
    assertFalse(f.rseq.isRegistered(thread.tid()));
    f.rseq.onExec(child);
    assertFalse(f.rseq.isRegistered(child.tid()));
    f.rseq.onExit(parent);
    assertFalse(f.rseq.isRegistered(parent.tid()));
  }

  static void installHandler(KernelFixture f, Task t, int sig) {
    long act = KernelFixture.DATA + 0x200;
    KernelFixture.putU64(t, act, KernelFixture.HANDLER);
    KernelFixture.putU64(t, act + 8, SignalNumbers.SA_SIGINFO | SignalNumbers.SA_RESTORER);
    KernelFixture.putU64(t, act + 16, KernelFixture.RESTORER);
    KernelFixture.putU64(t, act + 24, 0);
    assertEquals(0, f.syscall(t, SyscallNumbers.RT_SIGACTION, sig, act, 0, 8));
  }
}
