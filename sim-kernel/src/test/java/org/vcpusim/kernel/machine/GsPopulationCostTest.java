package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.gsmode.GsCosts;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * What GS population costs in each regime (kernel.md §5.1, §8 decision 7): on a zen5 machine with
 * FSGSBASE each write is charged {@code kernel.wrgsbaseKernel} to GS_WRITE, on the same machine
 * without the feature {@code kernel.wrmsrGsBase}; a write happens only when the cid changed (here:
 * once when the mode is set on CPU 1, once after a move to CPU 3, none on the thousands of other
 * returns to user); the switch path's own GS loads are counted apart, by the regime's rule.
 */
class GsPopulationCostTest {
  static final long ORIGIN = 0x20000000L;
  static final long STRIDE = 0x10000L;
  static final int SYSCALLS = 3000;

  static final String PROGRAM = GsPrograms.prologue()
      + "  .data\n"
      + "  .balign 8\n"
      + "mode: .long 1, 0\n"
      + "  .quad " + STRIDE + ", " + ORIGIN + "\n"
      + "  .text\n"
      + "  .globl _start\n"
      + "_start:\n"
      + GsPrograms.prctl("PT_SET_GS_MODE", "mode")
      + "  mov $" + SYSCALLS + ", %r12d\n"
      + "1: mov $39, %eax\n"
      + "  syscall\n"
      + "  dec %r12d\n"
      + "  jnz 1b\n"
      + "  xor %edi, %edi\n"
      + "  mov $231, %eax\n"
      + "  syscall\n";

  /** {@code p} with its FSGSBASE bit set to {@code on}. */
  static CpuProfile withFsgsbase(CpuProfile p, boolean on) {
    CpuProfile.Features f = p.features();
    return new CpuProfile(p.name(), p.description(), p.frequencyGhz(), p.pipeline(), p.alu(),
        p.memory(), p.branch(), p.system(), p.caches(),
        new CpuProfile.Features(on, f.rdpid(), f.rdtscp()), p.kernel(), p.sources());
  }

  record Write(long oldBase, long newBase, int cpu, long cycles) {}

  @ParameterizedTest(name = "fsgsbase={0}")
  @ValueSource(booleans = {true, false})
  void populationChargesTheRegimesWriteOnlyWhenTheCidChanged(boolean fsgsbase) {
    CpuProfile profile = withFsgsbase(TestMachines.ZEN5, fsgsbase);
    Machine m = new Machine(MachineConfig.builder(CpuTopology.flat(4), profile)
        .sched(TestMachines.fastSched(4)).seed(1).build());
    List<Write> writes = new ArrayList<>();
    m.addKernelEventListener(new KernelEventListener() {
      @Override
      public void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase,
          long cycles, String kind) {
        assertEquals("gs_mode", kind);
        writes.add(new Write(oldBase, newBase, cpu, cycles));
      }
    });
    List<Long> switchInBases = new ArrayList<>();
    m.addSchedObserver(new SchedObserver() {
      @Override
      public void switchIn(int cpu, SchedTask next, long now) {
        Task t = m.task(next.id());
        if (m.gsMode().isMmVcpu(t.process().pid())) {
          switchInBases.add(t.context().gsBase());
        }
      }
    });
    AssembledProgram prog = asm(PROGRAM);
    Process p = m.spawnProcess("pop", prog, ProcessOptions.defaults().withAffinity(CpuMask.of(1)));
    Task t = p.threads().get(0);
    assertEquals(RunOutcome.TIME_LIMIT, m.runFor(Ticks.fromMicros(100)));
    assertEquals(0, m.setAffinity(t, CpuMask.of(3)));
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(10)));
    assertEquals(List.of(), m.findings());

    long wrgsbase = profile.kernel().wrgsbaseKernel();
    long wrmsr = profile.kernel().wrmsrGsBase();
    long cost = fsgsbase ? wrgsbase : wrmsr;
    assertNotEquals(wrgsbase, wrmsr, "the test tells the regimes apart by their price");
    assertEquals(List.of(new Write(0, ORIGIN + STRIDE, 1, cost),
        new Write(ORIGIN + STRIDE, ORIGIN + 3 * STRIDE, 3, cost)), writes);

    GsCosts costs = m.gsMode().costs();
    assertEquals(fsgsbase ? GsCosts.Regime.WRGSBASE : GsCosts.Regime.WRMSR, costs.regime());
    assertEquals(2, costs.writes());
    assertEquals(2 * cost, costs.writeCycles());
    assertEquals(2 * wrgsbase, costs.writeCyclesIf(GsCosts.Regime.WRGSBASE));
    assertEquals(2 * wrmsr, costs.writeCyclesIf(GsCosts.Regime.WRMSR));
    assertEquals(1, costs.writesAfterSwitchIn(), "the write after the move follows a switch-in");
    assertTrue(m.cycles(1, CostCategory.GS_WRITE) >= cost, "charged on CPU 1");
    assertTrue(m.cycles(3, CostCategory.GS_WRITE) >= cost, "charged on CPU 3");
    assertEquals(0, m.cycles(0, CostCategory.GS_WRITE) + m.cycles(2, CostCategory.GS_WRITE));
    long returns = m.stats().longGauge("kernel.return_to_user.extension").value();
    assertTrue(returns > SYSCALLS, "population ran on every return: " + returns);
    assertEquals(2, m.stats().counter("gs_mode.writes").value());
    assertEquals(2 * cost, m.stats().counter("gs_mode.write_cycles").value());

    assertFalse(switchInBases.isEmpty(), "the move switched the task in on CPU 3");
    long nonZero = switchInBases.stream().filter(b -> b != 0).count();
    assertEquals(fsgsbase ? switchInBases.size() : nonZero, costs.switchLoads());
    assertEquals(switchInBases.size() * wrgsbase,
        costs.switchLoadCyclesIf(GsCosts.Regime.WRGSBASE));
    assertEquals(nonZero * wrmsr, costs.switchLoadCyclesIf(GsCosts.Regime.WRMSR));
    assertEquals(costs.switchLoadCyclesIf(costs.regime()), costs.switchLoadCycles());
  }
}
