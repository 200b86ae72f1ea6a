package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.cid.MmCid619Allocator;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The v6.19 allocator inside a whole machine: {@link ParamTestCounterTest}'s rseq counter program
 * with more threads than CPUs, so that the mm goes to per-CPU mode at thread creation and back to
 * per-task mode as the threads finish; after every switch-in no two running threads of the
 * process may share an id, and every id must be below nr_cpu_ids.
 */
class Cid619MachineTest {
  private static final int CPUS = 4;
  private static final int THREADS = 10;
  private static final int REPS = 2000;

  @Test
  void theCounterProgramRunsCorrectlyAcrossBothOwnershipModes() {
    Machine m = machine(CPUS, b -> b.sched(ParamTestCounterTest.paramSched())
        .cidAllocator(MmCid619Allocator.factory()));
    MmCid619Allocator policy = (MmCid619Allocator) m.cid().policy();
    List<String> violations = new ArrayList<>();
    m.addSchedObserver(new SchedObserver() {
      @Override
      public void switchIn(int cpu, SchedTask next, long at) {
        Task t = m.task(next.id());
        long[] seen = new long[CPUS];
        for (int c = 0; c < CPUS; c++) {
          Task r = m.currentOn(c);
          if (r == null || r.process() != t.process()) {
            continue;
          }
          int id = m.cid().cid(r);
          if (id < 0 || id >= CPUS || seen[id]++ > 0) {
            violations.add("t=" + at + " cpu" + c + " " + r + " holds id " + id);
          }
        }
      }
    });
    AssembledProgram prog = asm(ParamTestCounterTest.PROGRAM);
    Process p = m.spawnProcess("param_test", prog, ProcessOptions.defaults().withEntry("main"));
    int firstTid = p.pid() + 1;
    for (int i = 0; i < THREADS; i++) {
      m.spawnThread(p, "worker", new long[] {i, REPS, firstTid, THREADS}, null, "w" + i);
    }
    assertTrue(policy.perCpuMode(p.pid()), "11 users on 4 CPUs");
    RunOutcome outcome = m.runFor(Ticks.fromSeconds(2));

    assertEquals(RunOutcome.ALL_EXITED, outcome);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertTrue(violations.isEmpty(), violations.toString());
    long sum = 0;
    for (int cpu = 0; cpu < CPUS; cpu++) {
      sum += read(p, prog.address("counters") + 8L * cpu, 8);
    }
    assertEquals((long) THREADS * REPS, sum);
    assertEquals(1, policy.switchesToPerCpu(p.pid()));
    assertEquals(1, policy.switchesToPerTask(p.pid()), "back below pcpu_thrs as threads exit");
    assertTrue(m.cid().highWater(p.pid()) <= CPUS);
    assertTrue(m.cycles(0, CostCategory.KERNEL_SWITCH) > 0);
    StatsRegistry stats = new StatsRegistry();
    policy.publish(stats);
    assertEquals(1, stats.longGauge("cid.mm_cid-6_19.mm" + p.pid() + ".to_percpu").value());
    assertFalse(policy.perCpuMode(p.pid()), "the mm is gone");
  }
}
