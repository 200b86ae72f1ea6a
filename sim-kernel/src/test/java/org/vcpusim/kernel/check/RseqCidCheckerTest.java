package org.vcpusim.kernel.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.check.CheckFixtures.SPIN;
import static org.vcpusim.kernel.check.CheckFixtures.findings;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * {@link RseqCidChecker}: the field follows the id under both update policies; user code that
 * overwrites it, or a kernel whose id update writes a wrong value, is caught; an unregistered task
 * is not checked.
 */
class RseqCidCheckerTest {
  private static final AssembledProgram PROGRAM = asm(SPIN);

  private static Machine spinners(RseqIdUpdatePolicy policy, TestAllocator.Mode mode) {
    Machine m = machine(4, b -> b.rseqPolicy(policy).cidAllocator(TestAllocator.factory(mode)));
    Process p = m.spawnProcess("ids", PROGRAM, ProcessOptions.defaults().withEntry("main"));
    for (int i = 0; i < 8; i++) {
      m.spawnThread(p, "spinner", new long[] {200}, null, "s" + i);
    }
    m.spawnThread(p, "sleeper", new long[] {20}, null, "sleeper");
    return m;
  }

  @ParameterizedTest
  @EnumSource(RseqIdUpdatePolicy.class)
  void theFieldFollowsIdsThatChangeAtEverySwitch(RseqIdUpdatePolicy policy) {
    Machine m = spinners(policy, TestAllocator.Mode.ROTATING);
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals(0, m.checkers().violations(CheckKind.RSEQ_MM_CID));
    long changes = 0;
    for (Task t : m.process(1).threads()) {
      changes += m.cid().changes(t.tid());
    }
    assertTrue(changes > 10, "ids changed " + changes + " times: the field had to follow");
  }

  @ParameterizedTest
  @EnumSource(RseqIdUpdatePolicy.class)
  void userCodeThatOverwritesItsMmCidIsCaughtAtItsNextReturnToUser(RseqIdUpdatePolicy policy) {
    Machine m = machine(2, b -> b.rseqPolicy(policy));
    Process p = m.spawnProcess("clobber", PROGRAM, ProcessOptions.defaults().withEntry("main"));
    Task t = m.spawnThread(p, "clobber", new long[0], null, "clobber");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(10)));
    List<Finding> f = findings(m, CheckKind.RSEQ_MM_CID);
    assertEquals(1, f.size(), m.findings().toString());
    assertEquals(t.tid(), f.get(0).tid());
    assertTrue(f.get(0).message().startsWith("rseq_mm_cid: " + t + " returns to user on cpu "),
        f.get(0).message());
    assertTrue(f.get(0).message().contains("with rseq->mm_cid = 77"), f.get(0).message());
  }

  @ParameterizedTest
  @EnumSource(RseqIdUpdatePolicy.class)
  void aKernelThatWritesTheWrongIdIsCaught(RseqIdUpdatePolicy policy) {
    Machine m = spinners(policy, TestAllocator.Mode.LOWEST_FREE);
    // A broken id update: after the real one, overwrite mm_cid with cid + 1.
    m.returnToUser().install(ReturnToUser.Stage.EXTENSION, new ReturnToUser.Step() {
      @Override
      public String name() {
        return "broken_mm_cid";
      }

      @Override
      public void run(ExitToUser exit) {
        Task t = exit.task();
        if (m.rseq().isRegistered(t.tid())) {
          AddressSpace s = t.process().addressSpace();
          s.store(m.rseq().area(t.tid()) + RseqAbi.MM_CID_OFFSET, 4, m.cid().cid(t) + 1);
        }
      }
    });
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    assertFalse(findings(m, CheckKind.RSEQ_MM_CID).isEmpty(), m.findings().toString());
    assertTrue(m.checkers().violations(CheckKind.RSEQ_MM_CID) > Checkers.FINDINGS_PER_KIND);
  }

  @ParameterizedTest
  @EnumSource(RseqIdUpdatePolicy.class)
  void aTaskWithoutARegisteredAreaIsNotChecked(RseqIdUpdatePolicy policy) {
    Machine m = machine(2, b -> b.rseqPolicy(policy));
    Process p = m.spawnProcess("clobber", PROGRAM,
        ProcessOptions.defaults().withEntry("main").withLibcRseq(false));
    Task t = m.spawnThread(p, "clobber", new long[0], null, "clobber");
    assertFalse(m.rseq().isRegistered(t.tid()));
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(10)));
    assertTrue(m.findings().isEmpty(), m.findings().toString());
  }
}
