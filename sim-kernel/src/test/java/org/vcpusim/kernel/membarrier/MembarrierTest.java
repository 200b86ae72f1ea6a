package org.vcpusim.kernel.membarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_FLAG_CPU;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_GET_REGISTRATIONS;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_GLOBAL;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_PRIVATE_EXPEDITED;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_QUERY;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
import static org.vcpusim.kernel.membarrier.Membarrier.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;
import static org.vcpusim.kernel.testing.KernelFixture.ABORT;
import static org.vcpusim.kernel.testing.KernelFixture.AREA;
import static org.vcpusim.kernel.testing.KernelFixture.START;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.rseq.RseqConfig;
import org.vcpusim.kernel.rseq.RseqEvent;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;
import org.vcpusim.kernel.testing.KernelFixture;

/** membarrier's commands, errors and IPI targets, against kernel/sched/membarrier.c. */
class MembarrierTest {
  private static final int NR = SyscallNumbers.MEMBARRIER;
  private static final long EINVAL = Errno.fail(Errno.EINVAL);
  private static final long EPERM = Errno.fail(Errno.EPERM);

  /**
   * Eight CPUs: the caller's process has threads on CPUs 0 (the caller), 2, 3 and 5; another
   * process runs on 4; 1, 6 and 7 are idle.
   */
  private static final class Machine {
    final KernelFixture f = KernelFixture.legacy(8, 4);
    final Task caller = f.process("app", 0);
    final Task t2 = f.thread(caller, "w2", 2);
    final Task t3 = f.thread(caller, "w3", 3);
    final Task t5 = f.thread(caller, "w5", 5);
    final Task other = f.process("other", 4);
    final List<Task> workers = List.of(t2, t3, t5);

    Machine() {
      for (Task t : List.of(caller, t2, t3, t5, other)) {
        f.register(t, AREA + (t.process() == caller.process() ? 0x40L * (t.tid() - 1) : 0));
        assertTrue(f.returnToUser(t, ExitToUser.SYSCALL));
      }
    }

    long call(Task t, int cmd, int flags, int cpu) {
      return f.syscall(t, NR, cmd, flags, cpu);
    }

    long area(Task t) {
      return t.process() == caller.process() ? AREA + 0x40L * (t.tid() - 1) : AREA;
    }
  }

  @Test
  void queryReturnsTheSupportedCommands() {
    Machine m = new Machine();
    long mask = m.call(m.caller, MEMBARRIER_CMD_QUERY, 0, 0);
    assertEquals(Membarrier.SUPPORTED, mask);
    assertTrue((mask & MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) != 0);
    assertTrue((mask & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ) != 0);
    assertEquals(0, mask & MEMBARRIER_CMD_GLOBAL, "not provided, not advertised");
    assertEquals(EINVAL, m.call(m.caller, MEMBARRIER_CMD_GLOBAL, 0, 0));
    assertEquals(EINVAL, m.call(m.caller, 1 << 12, 0, 0), "unknown command");
  }

  @Test
  void errorsBeforeRegistration() {
    Machine m = new Machine();
    assertEquals(EPERM, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(EPERM, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    assertEquals(EINVAL, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 2, 0),
        "flags other than FLAG_CPU, checked before registration");
    assertEquals(EINVAL, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED,
        MEMBARRIER_CMD_FLAG_CPU, 2), "FLAG_CPU only with the RSEQ command");
    assertEquals(EINVAL, m.call(m.caller, MEMBARRIER_CMD_QUERY, 1, 0), "QUERY takes no flags");
    assertTrue(m.f.kernel.sentIpis().isEmpty());
  }

  @Test
  void registrationIsPerMmAndRseqDoesNotEnablePlainExpedited() {
    Machine m = new Machine();
    assertEquals(0, m.call(m.t2, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(0, m.call(m.t2, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0),
        "registering twice is fine");
    assertTrue(m.f.membarrier.isRegisteredRseq(m.caller.process()));
    assertFalse(m.f.membarrier.isRegisteredRseq(m.other.process()));
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(EPERM, m.call(m.other, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(EPERM, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    // GET_REGISTRATIONS reports plain PRIVATE_EXPEDITED too: its state bit is set.
    assertEquals(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED
        | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
        m.call(m.caller, MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0));
    assertEquals(0, m.call(m.other, MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0));
    // exec clears it; fork copies it.
    Task child = m.f.kernel.fork(m.caller);
    m.f.membarrier.onFork(m.caller.process(), child.process());
    assertTrue(m.f.membarrier.isRegisteredRseq(child.process()));
    m.f.membarrier.onExec(child.process());
    assertFalse(m.f.membarrier.isRegisteredRseq(child.process()));
  }

  @Test
  void expeditedRseqInterruptsEveryOtherCpuRunningTheMm() {
    Machine m = new Machine();
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    for (Task w : m.workers) {
      KernelFixture.at(w, m.area(w), START + 3);
    }
    long before = m.f.kernel.chargedOn(0);
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(new TreeSet<>(List.of(2, 3, 5)), m.f.kernel.ipiTargets(),
        "CPUs running the mm, not the caller's, not another mm's, not idle ones");
    assertEquals(3, m.f.membarrier.ipisSent());
    assertEquals(3 * KernelFixture.IPI_CYCLES, m.f.kernel.charged(CostCategory.MEMBARRIER));
    assertEquals(3 * KernelFixture.IPI_CYCLES, m.f.kernel.chargedOn(0) - before,
        "charged to the caller's CPU");
    for (Task w : m.workers) {
      assertFalse(w.hasWork(TaskWork.NOTIFY_RESUME), "nothing before the IPI lands");
    }
    m.f.kernel.runIpis();
    for (Task w : m.workers) {
      assertTrue(w.hasWork(TaskWork.NOTIFY_RESUME));
      assertTrue(m.f.rseq.hasPendingEvent(w.tid(), RseqEvent.MEMBARRIER));
      assertTrue(m.f.returnToUser(w, ExitToUser.INTERRUPT));
      assertEquals(ABORT, w.context().rip());
    }
    assertFalse(m.caller.hasWork(TaskWork.NOTIFY_RESUME), "the caller is not rseq_preempt()ed");
    assertFalse(m.other.hasWork(TaskWork.NOTIFY_RESUME));
    assertEquals(3, m.f.rseq.aborts(RseqEvent.MEMBARRIER));
    assertEquals(3, m.f.membarrier.rseqEvents());
  }

  @Test
  void flagCpuTargetsOneCpuOnlyIfItRunsTheMm() {
    Machine m = new Machine();
    m.call(m.caller, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0);
    int rseqFlagCpu = MEMBARRIER_CMD_FLAG_CPU;
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, 3));
    assertEquals(new TreeSet<>(List.of(3)), m.f.kernel.ipiTargets());
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, 4),
        "another mm's CPU: no IPI, no error");
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, 6),
        "idle CPU");
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, 8),
        "cpu_id >= nr_cpu_ids returns 0 (goto out), not EINVAL");
    assertEquals(1, m.f.kernel.sentIpis().size());
    // A negative cpu_id with FLAG_CPU means every CPU.
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, -1));
    assertEquals(4, m.f.kernel.sentIpis().size());
    // The caller's own CPU: the function runs locally, on the caller.
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, rseqFlagCpu, 0));
    assertEquals(4, m.f.kernel.sentIpis().size());
    assertEquals(1, m.f.membarrier.localCalls());
    assertTrue(m.caller.hasWork(TaskWork.NOTIFY_RESUME));
    // Without FLAG_CPU the cpu_id argument is ignored.
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 1234));
    assertEquals(7, m.f.kernel.sentIpis().size());
  }

  @Test
  void theIpiHitsWhateverRunsWhenItLands() {
    Machine m = new Machine();
    m.call(m.caller, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0);
    m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 2);
    // Before it lands, CPU 2 switches to the other process; ipi_rseq() does not re-check the mm.
    m.f.kernel.run(m.other, 2);
    m.f.kernel.runIpis();
    assertTrue(m.f.rseq.hasPendingEvent(m.other.tid(), RseqEvent.MEMBARRIER));
    assertFalse(m.f.rseq.hasPendingEvent(m.t2.tid(), RseqEvent.MEMBARRIER));
    // An idle CPU: nothing to do.
    m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 3);
    m.f.kernel.idle(3);
    m.f.kernel.runIpis();
    assertFalse(m.f.rseq.hasPendingEvent(m.t3.tid(), RseqEvent.MEMBARRIER));
    assertEquals(1, m.f.membarrier.rseqEvents());
  }

  @Test
  void aSingleThreadedMmOrASingleCpuSendsNothing() {
    KernelFixture f = new KernelFixture(8, 4, RseqConfig.of(RseqIdUpdatePolicy.LEGACY, 1, 1));
    Task solo = f.process("solo", 0);
    Task other = f.process("other", 1);
    f.register(solo, AREA);
    assertTrue(f.returnToUser(solo, ExitToUser.SYSCALL));
    assertEquals(0, f.syscall(solo, NR, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    assertEquals(0, f.syscall(solo, NR, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ,
        MEMBARRIER_CMD_FLAG_CPU, 0));
    assertTrue(f.kernel.sentIpis().isEmpty());
    assertFalse(solo.hasWork(TaskWork.NOTIFY_RESUME), "mm_users == 1 returns before any call");
    assertEquals(0, f.membarrier.localCalls());
    assertFalse(other.hasWork(TaskWork.NOTIFY_RESUME));

    KernelFixture one = new KernelFixture(1, 1, RseqConfig.of(RseqIdUpdatePolicy.LEGACY, 1, 1));
    Task a = one.process("a", 0);
    Task b = one.thread(a, "b", 0);
    one.kernel.run(a, 0);
    assertEquals(0, one.syscall(a, NR, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
    assertEquals(0, one.syscall(a, NR, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    assertTrue(one.kernel.sentIpis().isEmpty());
    assertFalse(b.hasExited());
  }

  @Test
  void plainExpeditedSendsBarrierIpisWithoutRseqEvents() {
    Machine m = new Machine();
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
    assertEquals(0, m.call(m.caller, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    assertEquals(new TreeSet<>(List.of(2, 3, 5)), m.f.kernel.ipiTargets());
    m.f.kernel.runIpis();
    for (Task w : m.workers) {
      assertFalse(w.hasWork(TaskWork.NOTIFY_RESUME));
    }
    assertEquals(3, m.f.kernel.counter("membarrier.ipi_mb"));
    assertEquals(1, m.f.membarrier.commands(MEMBARRIER_CMD_PRIVATE_EXPEDITED));
    assertEquals(2, m.f.membarrier.totalCommands());
  }
}
