package org.vcpusim.kernel.rseq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.testing.KernelFixture.ABORT;
import static org.vcpusim.kernel.testing.KernelFixture.AREA;
import static org.vcpusim.kernel.testing.KernelFixture.CODE;
import static org.vcpusim.kernel.testing.KernelFixture.DESC;
import static org.vcpusim.kernel.testing.KernelFixture.POST_COMMIT;
import static org.vcpusim.kernel.testing.KernelFixture.POST_COMMIT_OFFSET;
import static org.vcpusim.kernel.testing.KernelFixture.START;
import static org.vcpusim.kernel.testing.KernelFixture.u64;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;
import org.vcpusim.kernel.testing.KernelFixture;

/**
 * The critical-section fixup ({@code rseq_ip_fixup()}) on the librseq-style counter increment of
 * {@link KernelFixture}: abort exactly inside {@code [start_ip, start_ip + post_commit_offset)},
 * lazy clear outside, SIGSEGV for every kind of invalid descriptor, abort causes.
 */
class RseqCsFixupTest {
  private static KernelFixture fixture() {
    return KernelFixture.legacy(4, 2);
  }

  private static Task registered(KernelFixture f) {
    Task t = f.process("p", 1);
    f.register(t, AREA);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    return t;
  }

  @Test
  void aPreemptionAbortsExactlyInsideTheCriticalSection() {
    // Every instruction boundary of the sequence, then every byte address from the first
    // instruction to past the abort handler: abort iff start <= ip < start + post_commit_offset.
    long aborts = 0;
    for (long ip : KernelFixture.INSTRUCTIONS) {
      aborts += check(ip) ? 1 : 0;
    }
    assertEquals(5, aborts, "the five instructions of the critical section");
    for (long ip = CODE; ip < ABORT + 2; ip++) {
      check(ip);
    }
  }

  /** Preempts a task at {@code ip} and checks the outcome; returns whether it aborted. */
  private static boolean check(long ip) {
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, ip);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    boolean inside = ip >= START && ip < START + POST_COMMIT_OFFSET;
    String where = "ip " + Long.toHexString(ip);
    assertEquals(inside ? ABORT : ip, t.context().rip(), where);
    assertEquals(0, u64(t, AREA + RseqAbi.RSEQ_CS_OFFSET), where + ": rseq_cs cleared");
    assertEquals(inside ? 1 : 0, f.rseq.aborts(RseqEvent.PREEMPT), where);
    assertEquals(inside ? 0 : 1, f.rseq.csClears(), where);
    assertEquals(1, f.rseq.csChecks(), where);
    assertEquals(0, f.rseq.eventMask(t.tid()), where);
    return t.context().rip() == ABORT && ip != ABORT;
  }

  @Test
  void neverAbortsAtOrAfterTheCommitEnd() {
    for (long ip = POST_COMMIT; ip < POST_COMMIT + 64; ip++) {
      KernelFixture f = fixture();
      Task t = registered(f);
      KernelFixture.at(t, AREA, ip);
      f.rseq.onPreempt(t);
      f.rseq.onMigrate(t);
      f.rseq.onMembarrierIpi(t);
      assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
      assertEquals(ip, t.context().rip());
      assertEquals(0, f.rseq.totalAborts());
    }
  }

  @Test
  void withoutAPendingEventTheIpIsInsideAndNothingChanges() {
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, START + 3);
    t.setWork(TaskWork.NOTIFY_RESUME);
    assertTrue(f.returnToUser(t, ExitToUser.INTERRUPT));
    assertEquals(START + 3, t.context().rip());
    assertEquals(DESC, u64(t, AREA + RseqAbi.RSEQ_CS_OFFSET), "rseq_need_restart() == 0 keeps it");
    assertEquals(0, f.rseq.totalAborts());
  }

  @Test
  void noNotifyResumeNoFixup() {
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, START);
    assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
    assertEquals(START, t.context().rip());
    assertEquals(DESC, u64(t, AREA + RseqAbi.RSEQ_CS_OFFSET));
    assertEquals(0, f.rseq.csChecks());
  }

  @Test
  void theFixupChargesTheDescriptorCheck() {
    KernelFixture f = fixture();
    Task t = registered(f);
    long before = f.kernel.charged(CostCategory.RETURN_TO_USER);
    KernelFixture.at(t, AREA, START);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertEquals(KernelFixture.CS_CHECK_CYCLES + KernelFixture.ID_UPDATE_CYCLES,
        f.kernel.charged(CostCategory.RETURN_TO_USER) - before);
  }

  @Test
  void causesAreAttributedInOrderAndEachIsCounted() {
    KernelFixture f = fixture();
    Task t = registered(f);
    Object[][] cases = {
      {new RseqEvent[] {RseqEvent.PREEMPT}, RseqEvent.PREEMPT},
      {new RseqEvent[] {RseqEvent.PREEMPT, RseqEvent.MIGRATE}, RseqEvent.MIGRATE},
      {new RseqEvent[] {RseqEvent.MEMBARRIER}, RseqEvent.MEMBARRIER},
      {new RseqEvent[] {RseqEvent.PREEMPT, RseqEvent.MIGRATE, RseqEvent.MEMBARRIER},
        RseqEvent.MEMBARRIER},
    };
    long[] expected = new long[RseqEvent.values().length];
    long[] events = new long[RseqEvent.values().length];
    for (Object[] c : cases) {
      KernelFixture.at(t, AREA, START + 9);
      for (RseqEvent e : (RseqEvent[]) c[0]) {
        switch (e) {
          case PREEMPT -> f.rseq.onPreempt(t);
          case MIGRATE -> f.rseq.onMigrate(t);
          case MEMBARRIER -> f.rseq.onMembarrierIpi(t);
          default -> throw new AssertionError(e);
        }
        events[e.ordinal()]++;
      }
      assertTrue(f.returnToUser(t, ExitToUser.INTERRUPT));
      assertEquals(ABORT, t.context().rip());
      expected[((RseqEvent) c[1]).ordinal()]++;
      for (RseqEvent e : RseqEvent.values()) {
        assertEquals(expected[e.ordinal()], f.rseq.aborts(e), e.name());
        assertEquals(events[e.ordinal()], f.rseq.abortEvents(e), e.name());
      }
    }
    assertEquals(cases.length, f.rseq.totalAborts());
    assertEquals(1, f.kernel.counter("rseq.abort.migrate"));
    assertEquals(2, f.kernel.counter("rseq.abort.membarrier"));
  }

  @Test
  void aSignalInsideTheCriticalSectionSavesTheAbortIpInTheFrame() {
    KernelFixture f = fixture();
    Task t = registered(f);
    RseqIdUpdateTest.installHandler(f, t, SignalNumbers.SIGUSR1);
    KernelFixture.at(t, AREA, START + 12);
    assertEquals(0, f.syscall(t, SyscallNumbers.KILL, t.process().pid(), SignalNumbers.SIGUSR1));
    // The kill() came from "outside": put the task back inside its critical section.
    t.context().setRip(START + 12);
    assertTrue(f.returnToUser(t, ExitToUser.INTERRUPT));
    assertEquals(KernelFixture.HANDLER, t.context().rip());
    assertEquals(1, f.rseq.aborts(RseqEvent.SIGNAL));
    long frame = t.context().get(org.vcpusim.cpu.isa.Registers.RSP);
    assertEquals(ABORT, u64(t, frame + org.vcpusim.kernel.signal.SigFrame.MCONTEXT
        + org.vcpusim.kernel.signal.SigFrame.SC_IP));
  }

  /** A descriptor defect and the words its SIGSEGV reason must contain. */
  record Bad(String name, Consumer<Task> corrupt, long ip, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> badDescriptors() {
    return Stream.of(
        new Bad("signature mismatch", t -> KernelFixture.putU32(t, ABORT - 4, 0x53053054),
            START, "signature 0x53053054"),
        new Bad("version 1", t -> KernelFixture.writeDescriptor(t, 1, 0, START,
            POST_COMMIT_OFFSET, ABORT), START, "version 1"),
        new Bad("flag NO_RESTART_ON_PREEMPT", t -> KernelFixture.writeDescriptor(t, 0,
            RseqAbi.RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT, START, POST_COMMIT_OFFSET, ABORT), START,
            "flags 0x1"),
        new Bad("flag NO_RESTART_ON_SIGNAL", t -> KernelFixture.writeDescriptor(t, 0,
            RseqAbi.RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL, START, POST_COMMIT_OFFSET, ABORT), START,
            "flags 0x2"),
        new Bad("flag NO_RESTART_ON_MIGRATE", t -> KernelFixture.writeDescriptor(t, 0,
            RseqAbi.RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE, START, POST_COMMIT_OFFSET, ABORT), START,
            "flags 0x4"),
        new Bad("unknown cs flag", t -> KernelFixture.writeDescriptor(t, 0, 8, START,
            POST_COMMIT_OFFSET, ABORT), START, "flags 0x8"),
        new Bad("non-zero rseq->flags", t -> KernelFixture.putU32(t,
            AREA + RseqAbi.FLAGS_OFFSET, RseqAbi.RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL), START,
            "rseq->flags 0x2"),
        new Bad("abort_ip inside the range", t -> KernelFixture.writeDescriptor(t, 0, 0, START,
            POST_COMMIT_OFFSET, START + 9), START, "inside the critical section"),
        new Bad("abort_ip == start_ip", t -> KernelFixture.writeDescriptor(t, 0, 0, START,
            POST_COMMIT_OFFSET, START), START, "inside the critical section"),
        new Bad("start_ip beyond TASK_SIZE", t -> KernelFixture.writeDescriptor(t, 0, 0,
            RseqAbi.TASK_SIZE, 4, ABORT), START, "not below TASK_SIZE"),
        new Bad("end beyond TASK_SIZE", t -> KernelFixture.writeDescriptor(t, 0, 0, START,
            RseqAbi.TASK_SIZE, ABORT), START, "not below TASK_SIZE"),
        new Bad("abort_ip beyond TASK_SIZE", t -> KernelFixture.writeDescriptor(t, 0, 0, START,
            POST_COMMIT_OFFSET, -1L), START, "not below TASK_SIZE"),
        new Bad("rseq_cs pointer beyond TASK_SIZE", t -> KernelFixture.putU64(t,
            AREA + RseqAbi.RSEQ_CS_OFFSET, 0xffff_8000_0000_0000L), START,
            "rseq_cs pointer 0xffff800000000000"),
        new Bad("descriptor unmapped", t -> KernelFixture.putU64(t,
            AREA + RseqAbi.RSEQ_CS_OFFSET, 0x5000_0000L), START, "cannot read struct rseq_cs"),
        new Bad("signature unreadable", t -> KernelFixture.writeDescriptor(t, 0, 0, START,
            POST_COMMIT_OFFSET, 0x5000_0004L), START, "cannot read the signature"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDescriptors")
  void aBadDescriptorKillsWithSigsegv(Bad bad) {
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, bad.ip());
    bad.corrupt().accept(t);
    f.rseq.onPreempt(t);
    assertFalse(f.returnToUser(t, ExitToUser.SWITCHED_IN), bad.name());
    FakeKill kill = new FakeKill(f);
    assertEquals(SignalNumbers.SIGSEGV, kill.signal, bad.name());
    assertTrue(kill.reason.contains(bad.reason()), kill.reason);
    assertTrue(kill.reason.contains("rip=0x40000d"), kill.reason);
    assertTrue(t.process().hasExited());
    assertEquals(1, f.rseq.kills());
    assertEquals(0, f.rseq.totalAborts());
  }

  /** The last kill of a fixture. */
  private static final class FakeKill {
    final int signal;
    final String reason;

    FakeKill(KernelFixture f) {
      signal = f.kernel.lastKill().signal();
      reason = f.kernel.lastKill().reason();
    }
  }

  @Test
  void badFlagsOutsideTheCriticalSectionAreOnlyCleared() {
    // rseq_need_restart() checks the flags only for an IP inside: outside, the kernel just
    // clears rseq_cs lazily.
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, POST_COMMIT);
    KernelFixture.writeDescriptor(t, 0, RseqAbi.RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT, START,
        POST_COMMIT_OFFSET, ABORT);
    f.rseq.onPreempt(t);
    assertTrue(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertEquals(0, u64(t, AREA + RseqAbi.RSEQ_CS_OFFSET));
    assertTrue(f.kernel.kills().isEmpty());
  }

  @Test
  void debugRseqKillsASyscallInsideTheCriticalSection() {
    KernelFixture f = new KernelFixture(4, 2, KernelFixture.legacyConfig().withDebugRseq(true));
    Task t = registered(f);
    KernelFixture.at(t, AREA, POST_COMMIT);
    assertTrue(f.rseq.rseqSyscall(t), "after the commit: fine");
    KernelFixture.at(t, AREA, START + 16);
    assertFalse(f.rseq.rseqSyscall(t));
    assertTrue(f.kernel.lastKill().reason().contains("system call inside the rseq critical"),
        f.kernel.lastKill().reason());

    KernelFixture off = fixture();
    Task u = registered(off);
    KernelFixture.at(u, AREA, START + 16);
    assertTrue(off.rseq.rseqSyscall(u), "CONFIG_DEBUG_RSEQ off");
  }

  @Test
  void aMappedButUnwritableAreaKillsWhenClearing() {
    KernelFixture f = fixture();
    Task t = registered(f);
    KernelFixture.at(t, AREA, START);
    t.process().addressSpace().protect(KernelFixture.DATA, AddressSpace.PAGE_SIZE,
        AddressSpace.READ);
    f.rseq.onPreempt(t);
    assertFalse(f.returnToUser(t, ExitToUser.SWITCHED_IN));
    assertTrue(f.kernel.lastKill().reason().contains("cannot clear rseq->rseq_cs"),
        f.kernel.lastKill().reason());
  }
}
