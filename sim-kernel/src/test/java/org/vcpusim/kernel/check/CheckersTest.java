package org.vcpusim.kernel.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.check.CheckFixtures.SPIN;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.task.Process;

/** The configuration of the checkers and the sharing of cores between observers. */
class CheckersTest {
  private static final AssembledProgram PROGRAM = asm(SPIN);

  /** Counts retired instructions per core. */
  private static final class Retired implements CoreObserver {
    final long[] perCore;

    Retired(int cores) {
      perCore = new long[cores];
    }

    @Override
    public void onRetire(Core core, ExecutionRecord record) {
      perCore[core.id()]++;
    }
  }

  @Test
  void everyCheckerIsOnByDefaultAndCountsFromZero() {
    Machine m = machine(2, b -> {});
    assertEquals(EnumSet.allOf(CheckKind.class), m.checkConfig().enabled());
    assertEquals(CheckConfig.DEFAULT_QUIET_PERIOD_PS, m.checkConfig().quietPeriodPs());
    assertEquals(Ticks.fromMillis(200), CheckConfig.DEFAULT_QUIET_PERIOD_PS);
    for (CheckKind k : CheckKind.values()) {
      assertEquals(0, m.stats().find("check." + k.id() + ".violations").map(s -> 0).orElse(-1),
          k.id());
    }
    for (int cpu = 0; cpu < 2; cpu++) {
      assertNull(m.core(cpu).observer(), "no per-instruction cost until regions are declared");
    }
  }

  @Test
  void aCheckerTurnedOffHasNoCounter() {
    Machine m = machine(2, b -> b.withoutCheck(CheckKind.RSEQ_MM_CID));
    assertFalse(m.checkConfig().isEnabled(CheckKind.RSEQ_MM_CID));
    assertTrue(m.stats().find("check.rseq_mm_cid.violations").isEmpty());
    assertTrue(m.stats().find("check.cid_unique.violations").isPresent());
    assertEquals(CheckConfig.none().with(CheckKind.CID_BOUND).enabled(),
        EnumSet.of(CheckKind.CID_BOUND));
    assertThrows(IllegalArgumentException.class, () -> CheckConfig.defaults()
        .withQuietPeriodPs(-1));
  }

  @Test
  void declaringRegionsWhenTheCheckerIsOffInstallsNothing() {
    Machine m = machine(2, b -> b.withoutCheck(CheckKind.PER_ID_REGION));
    Process p = m.spawnProcess("x", PROGRAM, ProcessOptions.defaults().withEntry("main"));
    m.checkers().declareRegions(p.pid(), new PerIdRegions("ts", PROGRAM.address("ts"), 8, 2,
        PerIdRegions.Index.CPU_ID));
    assertNull(m.core(0).observer());
  }

  @Test
  void observersShareEveryCoreAndAnObserverSetDirectlyIsKept() {
    Machine m = machine(2, b -> {});
    Retired direct = new Retired(2);
    m.core(0).setObserver(direct);
    Retired first = new Retired(2);
    Retired second = new Retired(2);
    m.addCoreObserver(first);
    assertSame(first, m.core(1).observer(), "a core's only observer is called directly");
    m.addCoreObserver(second);
    Process p = m.spawnProcess("spin", PROGRAM, ProcessOptions.defaults().withEntry("main"));
    m.checkers().declareRegions(p.pid(), new PerIdRegions("ts", PROGRAM.address("ts"), 8, 2,
        PerIdRegions.Index.CPU_ID));
    for (int i = 0; i < 4; i++) {
      m.spawnThread(p, "spinner", new long[] {50}, null, "s" + i);
    }
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    for (int cpu = 0; cpu < 2; cpu++) {
      long retired = m.core(cpu).retiredInstructions();
      assertTrue(retired > 0);
      assertEquals(retired, first.perCore[cpu], "cpu " + cpu);
      assertEquals(retired, second.perCore[cpu], "cpu " + cpu);
    }
    assertEquals(m.core(0).retiredInstructions(), direct.perCore[0]);
    assertEquals(0, direct.perCore[1]);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
  }
}
